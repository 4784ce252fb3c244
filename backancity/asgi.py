import os

from django.core.asgi import get_asgi_application

from backancity.env import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backancity.settings")
application = get_asgi_application()
require_secret_key()
