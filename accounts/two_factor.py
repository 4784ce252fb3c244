"""Two-factor log-in with time-based one-time codes (django-otp's TOTP devices).

A code is accepted once: the device remembers the last time step used, and repeated
wrong codes slow further attempts (django-otp's throttling)."""

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEventType
from audit.services import audit_record

from .middleware import SESSION_ENROLLED_KEY


def is_required(user) -> bool:
    return settings.TWO_FACTOR_REQUIRED and user.role in settings.TWO_FACTOR_ROLES


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return device


def verify(request, device, code: str) -> bool:
    allowed, _ = device.verify_is_allowed()
    if allowed and device.verify_token(code):
        otp_login(request, device)
        audit_record(AuditEventType.TWO_FACTOR_VERIFIED, request=request)
        return True
    audit_record(AuditEventType.TWO_FACTOR_FAILED, request=request)
    return False


@transaction.atomic
def confirm(request, device, code: str) -> bool:
    if not device.verify_token(code):
        audit_record(AuditEventType.TWO_FACTOR_FAILED, request=request, target="thiết lập")
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    request.session[SESSION_ENROLLED_KEY] = True
    audit_record(AuditEventType.TWO_FACTOR_ENROLLED, request=request)
    return True


def remove_devices(request):
    with transaction.atomic():
        removed, _by_model = TOTPDevice.objects.filter(user=request.user).delete()
        if removed:
            audit_record(AuditEventType.TWO_FACTOR_REMOVED, request=request)
    request.session[SESSION_ENROLLED_KEY] = False


def readable_secret(device) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device) -> str:
    """The provisioning URI as an inline SVG (no external image, CSP-safe)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
