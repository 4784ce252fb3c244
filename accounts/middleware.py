import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "signed_in_at"
# Whether the user has a confirmed TOTP device, noted at sign-in (and when they turn the
# second factor on or off) so that pages need no extra query to know.
SESSION_ENROLLED_KEY = "two_factor_enrolled"


class SessionPolicyMiddleware:
    """Ends a session SESSION_ABSOLUTE_SECONDS after sign-in, however active it was.
    (The idle limit is the session cookie age, renewed on every request.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = time.time()
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                from audit.models import AuditEventType
                from audit.services import audit_record

                audit_record(AuditEventType.SESSION_EXPIRED, request=request, actor=user)
                logout(request)
                messages.info(request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def needs_second_factor(user, session) -> bool:
    """Leaders and the secretariat must pass a second factor (when required); anyone who
    turned it on for themselves must pass it too."""
    if not user.is_authenticated or user.is_verified():
        return False
    if settings.TWO_FACTOR_REQUIRED and user.role in settings.TWO_FACTOR_ROLES:
        return True
    return bool(session.get(SESSION_ENROLLED_KEY))


class TwoFactorRequiredMiddleware:
    """Until the second factor is passed, a signed-in user who needs one reaches only the
    two-factor pages and sign-out — the admin site included."""

    ALLOWED_URL_NAMES = {"two_factor_verify", "two_factor_setup", "logout", "set_language", "login"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not needs_second_factor(request.user, request.session):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.ALLOWED_URL_NAMES:
            return None
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
