import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backancity.settings")

app = Celery("backancity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
