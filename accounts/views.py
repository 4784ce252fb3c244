from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEventType
from audit.services import audit_record

from . import two_factor
from .forms import OneTimeCodeForm
from .redirects import safe_next_url


def _next_url(request) -> str:
    return safe_next_url(request, reverse("home"))


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


def account(request):
    """The user's own security page: password, two-factor log-in."""
    return render(
        request,
        "accounts/account.html",
        {"has_device": two_factor.confirmed_device(request.user) is not None, "required": two_factor.is_required(request.user)},
    )


@login_not_required
def admin_login(request):
    """The admin site's log-in page. Nobody signs in here: whoever is not signed in goes
    to the portal's sign-in page (lock-out, two-factor) and comes back; staff go on to
    the admin; anyone else signed in is refused (403, audited) — the sign-in page would
    only send them back here, round in circles."""
    if not request.user.is_authenticated:
        query = request.META.get("QUERY_STRING", "")
        return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))
    if request.user.is_active and request.user.is_staff:
        target = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return redirect(target)
        return redirect("admin:index")
    raise PermissionDenied


def two_factor_verify(request):
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect(_with_next("two_factor_setup", request))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, device, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _("Mã xác thực không đúng, đã dùng hoặc đã hết hạn."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def two_factor_setup(request):
    if two_factor.confirmed_device(request.user) is not None:
        return redirect(_with_next("two_factor_verify", request))
    device = two_factor.pending_device(request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm(request, device, form.cleaned_data["code"]):
            messages.success(request, _("Đã bật xác thực hai bước cho tài khoản."))
            return redirect(_next_url(request))
        form.add_error("code", _("Mã xác thực không đúng. Kiểm tra giờ trên điện thoại và thử lại."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.readable_secret(device),
            "next": _next_url(request),
        },
    )


@require_POST
def two_factor_disable(request):
    """Officers may turn off the second factor they turned on; leaders and the
    secretariat may not, while it is required for them."""
    if two_factor.is_required(request.user):
        messages.error(request, _("Vai trò của bạn bắt buộc xác thực hai bước."))
    else:
        two_factor.remove_devices(request)
        messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password keeps this session and ends every other session of the
    user (Django's session hash changes with the password)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(AuditEventType.PASSWORD_CHANGED, request=self.request)
        messages.success(self.request, _("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."))
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' response to a locked-out sign-in: 429, in Vietnamese."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
