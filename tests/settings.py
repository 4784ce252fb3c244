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
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="backancity-test-static-"))  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Plain HTTP in tests; the production values are checked by tests/security/test_deploy.py.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Lock-out and two-factor are switched on by the tests that exercise them
# (django-axes also refuses the test client's request-less `client.login()`).
AXES_ENABLED = False
TWO_FACTOR_REQUIRED = False
# Tests run eagerly unless a test starts a real worker itself (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
