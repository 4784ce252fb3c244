import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import user_has_device

from .middleware import SESSION_ENROLLED_KEY, SESSION_STARTED_KEY


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    """Note when the session began (for the absolute limit) and whether the user must pass
    a second factor they enrolled themselves."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_STARTED_KEY] = time.time()
    request.session[SESSION_ENROLLED_KEY] = user_has_device(user, confirmed=True)
