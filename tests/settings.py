"""Settings for the test run: the project's settings plus what makes tests fast and
self-contained. DATABASE_URL and CELERY_BROKER_URL still come from the environment, so
CI runs the same tests on PostgreSQL and Redis."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from backancity.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="backancity-test-media-"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run eagerly unless a test starts a real worker itself (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
