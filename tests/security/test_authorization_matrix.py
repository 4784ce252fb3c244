"""The authorisation matrix: every URL pattern the project defines — ours, the admin's,
django-otp's, import-export's — tried with GET and POST as five people, against the
outcome written down for it below.

The people: nobody signed in, an officer of unit A, an officer of unit B, a leader and an
administrator (the secretariat, staff and superuser). Two-factor log-in is required, as
in production; the leader and the administrator have passed it. Patterns with parameters
are tried on unit A's objects, so the two officers show what a unit's own officer and
another unit's officer get.

Outcomes: OK (2xx, or a 3xx that is not a log-in redirect; `Goes(...)` also says where it
must lead), LOGIN (a redirect to the sign-in page that comes back to the URL), DENIED
(403 — and a row in the audit log), MISSING (404: existence is private), NOT_ALLOWED
(405: wrong method).

The test fails when a URL pattern has no row here, and when a row names a pattern that
no longer exists: adding a view means deciding, here, who may reach it.

One data set is built for the whole module (in a transaction rolled back at the end);
each request runs in a savepoint of its own that is rolled back after it, so a POST that
changes something cannot affect the next request.
"""

import datetime
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from audit.models import AuditEvent, AuditEventType
from audit.services import audit_record
from indicators.models import IndicatorTarget
from periods.models import FigureChange, ReportStatus, UnitReport
from reporting.models import ReportReminder
from resolutions.models import SteeringCommittee, SteeringCommitteeMember
from reviews.models import JobStatus, PartNarrative, ReviewJob
from spreadsheets import services as spreadsheet_services
from spreadsheets.workbook import build_template
from tests import factories
from units.models import UnitKind

ROLES = ("anonymous", "officer_a", "officer_b", "leader", "admin")

OK = "ok"
LOGIN = "login"
DENIED = "403"
MISSING = "404"
NOT_ALLOWED = "405"


@dataclass(frozen=True)
class Goes:
    """Allowed, and redirected to this URL (built from the data set)."""

    to: Callable

    def __str__(self):
        return "goes"


def goes(name, *args):
    return Goes(lambda d: reverse(name, args=[a(d) if callable(a) else a for a in args]))


@dataclass(frozen=True)
class Row:
    get: tuple
    post: tuple
    kwargs: Callable = lambda d: {}
    query: Callable = lambda d: {}
    data: Callable = lambda d: {}


# Outcome rows, in the order of ROLES.
EVERYONE = (OK, OK, OK, OK, OK)
SIGNED_IN = (LOGIN, OK, OK, OK, OK)
UNIT_A_READERS = (LOGIN, OK, DENIED, OK, OK)  # unit A's officer, leaders, the secretariat
LEADERS = (LOGIN, DENIED, DENIED, OK, OK)  # leaders and the secretariat
SECRETARIAT = (LOGIN, DENIED, DENIED, DENIED, OK)
OFFICERS = (LOGIN, OK, OK, DENIED, DENIED)
STAFF = (LOGIN, DENIED, DENIED, DENIED, OK)
NOBODY = (LOGIN, DENIED, DENIED, DENIED, DENIED)
GET_ONLY_FOR_SIGNED_IN = (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)


def _unit_a_url(name, *extra):
    return lambda d: reverse(f"reporting:{name}", args=[2024, 3, d.unit_a.code, *[e(d) for e in extra]])


def _unit_kwargs(d, **extra):
    return {"year": 2024, "quarter": 3, "unit_code": d.unit_a.code, **extra}


UNIT_PAGE = Goes(lambda d: reverse("reporting:unit_report", args=[2024, 3, d.unit_a.code]))


def _task_row_data(d):
    prefix = f"nhiem-vu-{d.task_a.pk}"
    return {f"{prefix}-status": "in_progress", f"{prefix}-narrative": "Đang triển khai.", f"{prefix}-version": "0"}


def _upload_data(d):
    return {"ky": d.period.pk, "tep": SimpleUploadedFile("bao-cao.xlsx", d.template_bytes)}


TABLE: dict[str, Row] = {
    # --- the portal's own pages ----------------------------------------------------------
    "healthz": Row(get=EVERYONE, post=EVERYONE),
    "login": Row(
        get=(OK, goes("home"), goes("home"), goes("home"), goes("home")),
        post=(OK, goes("home"), goes("home"), goes("home"), goes("home")),
    ),
    "logout": Row(
        get=(LOGIN, *(NOT_ALLOWED,) * 4),
        post=(LOGIN, *(goes("login"),) * 4),
    ),
    "home": Row(get=SIGNED_IN, post=GET_ONLY_FOR_SIGNED_IN),
    "set_language": Row(get=EVERYONE, post=EVERYONE, data=lambda d: {"language": "vi", "next": "/"}),
    "account": Row(get=SIGNED_IN, post=SIGNED_IN),
    "password_change": Row(get=SIGNED_IN, post=SIGNED_IN),
    "two_factor_verify": Row(
        # Officers have no device: they are sent to set one up.
        get=(LOGIN, goes("two_factor_setup"), goes("two_factor_setup"), OK, OK),
        post=(LOGIN, goes("two_factor_setup"), goes("two_factor_setup"), OK, OK),
    ),
    "two_factor_setup": Row(
        # Leaders and the secretariat already have a device: back to the code page.
        get=(LOGIN, OK, OK, goes("two_factor_verify"), goes("two_factor_verify")),
        post=(LOGIN, OK, OK, goes("two_factor_verify"), goes("two_factor_verify")),
    ),
    "two_factor_disable": Row(get=GET_ONLY_FOR_SIGNED_IN, post=(LOGIN, *(goes("account"),) * 4)),
    # --- quarterly reporting -------------------------------------------------------------
    "reporting:my_report": Row(
        get=(
            LOGIN,
            UNIT_PAGE,
            Goes(lambda d: reverse("reporting:unit_report", args=[2024, 3, d.unit_b.code])),
            goes("reporting:overview"),
            goes("reporting:overview"),
        ),
        post=GET_ONLY_FOR_SIGNED_IN,
    ),
    "reporting:overview": Row(
        get=(LOGIN, DENIED, DENIED, goes("reporting:overview_period", 2024, 3), goes("reporting:overview_period", 2024, 3)),
        post=(LOGIN, DENIED, DENIED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "reporting:overview_period": Row(
        get=LEADERS,
        post=(LOGIN, DENIED, DENIED, NOT_ALLOWED, NOT_ALLOWED),
        kwargs=lambda d: {"year": 2024, "quarter": 3},
    ),
    "reporting:unit_report": Row(get=UNIT_A_READERS, post=GET_ONLY_FOR_SIGNED_IN, kwargs=_unit_kwargs),
    "reporting:row_save": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        # Only the unit's own officer types its figures; leaders review, they do not enter.
        post=(LOGIN, Goes(lambda d: reverse("reporting:unit_report", args=[2024, 3, d.unit_a.code])), DENIED, DENIED, DENIED),
        kwargs=lambda d: _unit_kwargs(d, kind="nhiem-vu", pk=d.task_a.pk),
        data=_task_row_data,
    ),
    "reporting:row_history": Row(
        get=UNIT_A_READERS,
        post=GET_ONLY_FOR_SIGNED_IN,
        kwargs=lambda d: _unit_kwargs(d, kind="chi-tieu", pk=d.indicator_a.pk),
    ),
    "reporting:submit": Row(get=GET_ONLY_FOR_SIGNED_IN, post=(LOGIN, UNIT_PAGE, DENIED, DENIED, DENIED), kwargs=_unit_kwargs),
    "reporting:approve": Row(get=GET_ONLY_FOR_SIGNED_IN, post=(LOGIN, DENIED, DENIED, UNIT_PAGE, UNIT_PAGE), kwargs=_unit_kwargs),
    "reporting:return": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=(LOGIN, DENIED, DENIED, UNIT_PAGE, UNIT_PAGE),
        kwargs=_unit_kwargs,
        data=lambda d: {"reason": "Thiếu số liệu quý."},
    ),
    "reporting:reopen": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=(LOGIN, DENIED, DENIED, UNIT_PAGE, UNIT_PAGE),
        kwargs=_unit_kwargs,
        data=lambda d: {"reason": "Cần sửa số liệu."},
    ),
    # --- dashboards: officers see their own unit's slice, and only their unit's details ----
    "dashboards:overview": Row(get=SIGNED_IN, post=GET_ONLY_FOR_SIGNED_IN),
    "dashboards:indicators": Row(get=SIGNED_IN, post=GET_ONLY_FOR_SIGNED_IN),
    "dashboards:projects": Row(get=SIGNED_IN, post=GET_ONLY_FOR_SIGNED_IN),
    "dashboards:tasks": Row(get=SIGNED_IN, post=GET_ONLY_FOR_SIGNED_IN),
    "dashboards:units": Row(get=SIGNED_IN, post=GET_ONLY_FOR_SIGNED_IN),
    "dashboards:indicator_detail": Row(
        get=UNIT_A_READERS, post=GET_ONLY_FOR_SIGNED_IN, kwargs=lambda d: {"code": d.indicator_a.code}
    ),
    "dashboards:project_detail": Row(
        get=UNIT_A_READERS, post=GET_ONLY_FOR_SIGNED_IN, kwargs=lambda d: {"code": d.project_a.code}
    ),
    "dashboards:task_detail": Row(get=UNIT_A_READERS, post=GET_ONLY_FOR_SIGNED_IN, kwargs=lambda d: {"pk": d.task_a.pk}),
    "dashboards:unit_detail": Row(get=UNIT_A_READERS, post=GET_ONLY_FOR_SIGNED_IN, kwargs=lambda d: {"code": d.unit_a.code}),
    # --- the annual review ---------------------------------------------------------------
    "reviews:index": Row(get=LEADERS, post=LEADERS),
    "reviews:year": Row(get=LEADERS, post=LEADERS, kwargs=lambda d: {"year": 2024}),
    "reviews:request": Row(
        get=(LOGIN, DENIED, DENIED, DENIED, NOT_ALLOWED),
        post=(LOGIN, DENIED, DENIED, DENIED, goes("reviews:year", 2024)),
        kwargs=lambda d: {"year": 2024},
        data=lambda d: {"document_number": "45", "report_date": "20/12/2024", "signer_position": "Bí thư"},
    ),
    "reviews:narratives": Row(get=SECRETARIAT, post=SECRETARIAT, kwargs=lambda d: {"year": 2024}),
    "reviews:narrative_edit": Row(
        get=SECRETARIAT,
        post=(LOGIN, DENIED, DENIED, DENIED, goes("reviews:narratives", 2024)),
        kwargs=lambda d: {"year": 2024, "part": "trade"},
        data=lambda d: {"text": "Thương mại phát triển.", "include_figures": "on", "version": str(d.narrative.version)},
    ),
    "reviews:job_status": Row(get=LEADERS, post=LEADERS, kwargs=lambda d: {"pk": d.done_job.pk}),
    "reviews:download": Row(get=LEADERS, post=LEADERS, kwargs=lambda d: {"pk": d.done_job.pk}),
    "reviews:retry": Row(
        get=(LOGIN, DENIED, DENIED, DENIED, NOT_ALLOWED),
        post=(LOGIN, DENIED, DENIED, DENIED, goes("reviews:year", 2024)),
        kwargs=lambda d: {"pk": d.failed_job.pk},
    ),
    # --- Excel import and export: an upload is its officer's own (another's is 404) --------
    "spreadsheets:index": Row(get=SIGNED_IN, post=GET_ONLY_FOR_SIGNED_IN),
    "spreadsheets:template": Row(get=OFFICERS, post=GET_ONLY_FOR_SIGNED_IN, query=lambda d: {"ky": d.period.pk}),
    "spreadsheets:upload": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=(LOGIN, OK, OK, DENIED, DENIED),
        data=_upload_data,
    ),
    "spreadsheets:preview": Row(
        get=(LOGIN, OK, MISSING, DENIED, DENIED), post=GET_ONLY_FOR_SIGNED_IN, kwargs=lambda d: {"pk": d.upload.pk}
    ),
    "spreadsheets:confirm": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=(LOGIN, goes("spreadsheets:index"), MISSING, DENIED, DENIED),
        kwargs=lambda d: {"pk": d.upload.pk},
        data=lambda d: {"checksum": d.upload.sha256},
    ),
    "spreadsheets:discard": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=(LOGIN, goes("spreadsheets:index"), MISSING, DENIED, DENIED),
        kwargs=lambda d: {"pk": d.upload.pk},
    ),
    "spreadsheets:export": Row(
        get=SIGNED_IN,
        post=GET_ONLY_FOR_SIGNED_IN,
        query=lambda d: {"ky": d.period.pk, "bang": "chi-tieu", "dinh_dang": "csv"},
    ),
    # --- the admin site: staff only; people signed in without staff access get 403 ---------
    "admin:index": Row(get=STAFF, post=STAFF),
    "admin:login": Row(
        get=(goes("login"), DENIED, DENIED, DENIED, goes("admin:index")),
        post=(goes("login"), DENIED, DENIED, DENIED, goes("admin:index")),
    ),
    "admin:logout": Row(
        # Signed in without staff access: back to the admin's index, which refuses them.
        get=(LOGIN, goes("admin:index"), goes("admin:index"), goes("admin:index"), NOT_ALLOWED),
        post=(LOGIN, goes("admin:index"), goes("admin:index"), goes("admin:index"), goes("login")),
    ),
    "admin:password_change": Row(get=STAFF, post=STAFF),
    "admin:password_change_done": Row(get=STAFF, post=(LOGIN, DENIED, DENIED, DENIED, NOT_ALLOWED)),
    "admin:autocomplete": Row(
        get=STAFF,
        post=(LOGIN, DENIED, DENIED, DENIED, NOT_ALLOWED),
        query=lambda d: {"app_label": "accounts", "model_name": "user", "field_name": "unit", "term": "Sông"},
    ),
    "admin:jsi18n": Row(get=STAFF, post=(LOGIN, DENIED, DENIED, DENIED, NOT_ALLOWED)),
    "admin:view_on_site": Row(
        # No model of ours has a public page: nothing to redirect to.
        get=(LOGIN, DENIED, DENIED, DENIED, MISSING),
        post=(LOGIN, DENIED, DENIED, DENIED, MISSING),
        kwargs=lambda d: {"content_type_id": str(ContentType.objects.get_for_model(d.unit_a).pk), "object_id": str(d.unit_a.pk)},
    ),
    "admin:app_list": Row(get=STAFF, post=STAFF, kwargs=lambda d: {"app_label": "units"}),
    "quan-tri/(?P<url>.*)$": Row(
        get=(LOGIN, DENIED, DENIED, DENIED, MISSING),
        post=(LOGIN, DENIED, DENIED, DENIED, MISSING),
        kwargs=lambda d: {"url": "khong-co-trang-nay/"},
    ),
    # django-otp: nobody, not even a superuser, reads another person's TOTP secret.
    "admin:otp_totp_totpdevice_config": Row(get=NOBODY, post=NOBODY, kwargs=lambda d: {"pk": d.leader_device.pk}),
    "admin:otp_totp_totpdevice_qrcode": Row(get=NOBODY, post=NOBODY, kwargs=lambda d: {"pk": d.leader_device.pk}),
    "admin:auth_user_password_change": Row(get=STAFF, post=STAFF, kwargs=lambda d: {"id": str(d.officer_a.pk)}),
}


def _admin_rows(label: str, *, add=True, change=True, delete=True, import_export=False) -> dict[str, Row]:
    """The URL patterns Django's admin (and django-import-export) makes for one model.
    `add`, `change`, `delete`: whether the administrator may do it (otherwise 403; a
    model they may not change still shows its page read-only)."""
    app, model = label.split(".")
    name = f"admin:{app}_{model}"
    obj = {"object_id": lambda d: str(d.admin_objects[label].pk)}

    def kwargs(d):
        return {key: value(d) for key, value in obj.items()}

    forbidden = NOBODY
    rows = {
        f"{name}_changelist": Row(get=STAFF, post=STAFF),
        f"{name}_add": Row(get=STAFF if add else forbidden, post=STAFF if add else forbidden),
        f"{name}_history": Row(get=STAFF, post=STAFF, kwargs=kwargs),
        # A POST without the confirmation field only shows the confirmation page.
        f"{name}_delete": Row(get=STAFF if delete else forbidden, post=STAFF if delete else forbidden, kwargs=kwargs),
        f"{name}_change": Row(get=STAFF, post=STAFF if change else forbidden, kwargs=kwargs),
        # The bare object address redirects to its change page.
        f"quan-tri/{app}/{model}/<path:object_id>/": Row(
            get=(LOGIN, DENIED, DENIED, DENIED, Goes(lambda d: reverse(f"{name}_change", args=[kwargs(d)["object_id"]]))),
            post=(LOGIN, DENIED, DENIED, DENIED, Goes(lambda d: reverse(f"{name}_change", args=[kwargs(d)["object_id"]]))),
            kwargs=kwargs,
        ),
    }
    if import_export:
        rows[f"{name}_import"] = Row(get=STAFF, post=STAFF)
        rows[f"{name}_process_import"] = Row(get=(LOGIN, DENIED, DENIED, DENIED, NOT_ALLOWED), post=STAFF)
        rows[f"{name}_export"] = Row(get=STAFF, post=STAFF)
    return rows


# Every model registered in the admin, with what the administrator may do there.
ADMIN_MODELS = {
    "auth.group": {},
    "axes.accessattempt": {"add": False},
    "axes.accesslog": {"add": False},
    "axes.accessfailurelog": {"add": False},
    "otp_totp.totpdevice": {},
    "units.organisationunit": {"import_export": True},
    "accounts.user": {},
    # The audit log is append-only: read it, never add, change or delete.
    "audit.auditevent": {"add": False, "change": False, "delete": False},
    "periods.reportingperiod": {},
    "periods.unitreport": {"add": False, "change": False, "delete": False},
    "periods.figurechange": {"add": False, "change": False, "delete": False},
    "resolutions.resolution": {"import_export": True},
    "resolutions.actionprogramme": {"import_export": True},
    "resolutions.steeringcommittee": {"import_export": True},
    "resolutions.steeringcommitteemember": {"import_export": True},
    "resolutions.field": {"import_export": True},
    "resolutions.task": {"import_export": True},
    "resolutions.taskupdate": {"import_export": True},
    "projects.project": {"import_export": True},
    "projects.projectupdate": {"import_export": True},
    "indicators.indicator": {"import_export": True},
    "indicators.indicatortarget": {"import_export": True},
    "indicators.indicatorvalue": {"import_export": True},
    "reporting.reportreminder": {"add": False, "change": False},
    "reviews.partnarrative": {"add": False},
    "reviews.reviewjob": {"add": False, "change": False},
}
for _label, _options in ADMIN_MODELS.items():
    TABLE.update(_admin_rows(_label, **_options))


# --- the URL patterns ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route for a pattern without a name
    route: str


def _join(prefix: str, route: str) -> str:
    # As Django joins nested routes (URLResolver._join_route): an inner regex's "^" goes.
    return prefix + (route[1:] if route.startswith("^") else route)


def url_patterns(resolver=None, prefix="", namespace=""):
    """Every URL pattern, walking included URLconfs and namespaces recursively."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = _join(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from url_patterns(pattern, route, inner)
        else:
            assert isinstance(pattern, URLPattern)
            key = ":".join(part for part in (namespace, pattern.name) if part) if pattern.name else route
            yield Pattern(key, route)


ALL_PATTERNS = list(url_patterns())


def build_path(route: str, kwargs: dict) -> str:
    """Fill a route's parameters (`<int:pk>` or a regex group) with sample values."""

    def value(match):
        name = match.group(1)
        assert name in kwargs, f"no sample value for {name!r} in {route!r}"
        return str(kwargs[name])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", value, route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", value, path)
    return "/" + path.lstrip("^").rstrip("$")


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    keys = [pattern.key for pattern in ALL_PATTERNS]
    assert len(keys) == len(set(keys)), "two patterns share a key"
    missing = sorted(set(keys) - set(TABLE))
    stale = sorted(set(TABLE) - set(keys))
    assert not missing, f"URL patterns without an entry in the authorisation matrix: {missing}"
    assert not stale, f"entries of the authorisation matrix whose URL pattern no longer exists: {stale}"


def test_the_walk_finds_the_admin_the_two_factor_admin_and_every_app():
    keys = {pattern.key for pattern in ALL_PATTERNS}
    for key in ["admin:index", "admin:otp_totp_totpdevice_qrcode", "admin:units_organisationunit_import", "reporting:row_save"]:
        assert key in keys
    assert len(ALL_PATTERNS) > 200


# --- the data set --------------------------------------------------------------------------


def _build() -> SimpleNamespace:
    d = SimpleNamespace()
    d.unit_a = factories.make_unit(name="Phường Sông Cầu", kind=UnitKind.WARD, code="phuong-a")
    d.unit_b = factories.make_unit(name="Phường Đức Xuân", kind=UnitKind.WARD, code="phuong-b")
    d.officer_a = factories.make_user(role=Role.OFFICER, unit=d.unit_a, username="canbo.a")
    d.officer_b = factories.make_user(role=Role.OFFICER, unit=d.unit_b, username="canbo.b")
    d.leader = factories.make_user(role=Role.LEADER, username="lanhdao")
    d.admin = factories.make_user(role=Role.SECRETARIAT, username="quantri", is_staff=True, is_superuser=True)
    d.leader_device = TOTPDevice.objects.create(user=d.leader, name="Điện thoại", confirmed=True)
    d.admin_device = TOTPDevice.objects.create(user=d.admin, name="Điện thoại", confirmed=True)

    d.period = factories.make_period(2024, 3)
    d.task_a = factories.make_task(lead_unit=d.unit_a, code="NV-A", content="Nhiệm vụ của phường A")
    d.task_b = factories.make_task(lead_unit=d.unit_b, code="NV-B")
    d.project_a = factories.make_project(managing_unit=d.unit_a, code="du-an-a")
    d.indicator_a = factories.make_indicator(responsible_unit=d.unit_a, code="chi-tieu-a")
    d.value_a = factories.make_indicator_value(indicator=d.indicator_a, period=d.period, value="4086", actor=d.officer_a)
    d.project_update_a = factories.make_project_update(project=d.project_a, period=d.period, progress_percent=40)
    d.task_update_b = factories.make_task_update(task=d.task_b, period=d.period, narrative="Đang làm.")
    d.report_a = UnitReport.objects.get(unit=d.unit_a, period=d.period)
    d.template_bytes = build_template(d.unit_a, d.period)
    d.upload = spreadsheet_services.upload_receive(
        user=d.officer_a, unit=d.unit_a, period=d.period, name="bao-cao.xlsx", content=d.template_bytes
    )

    d.done_job = ReviewJob.objects.create(
        year=2024,
        version=1,
        report_date=datetime.date(2024, 12, 20),
        requested_by=d.admin,
        status=JobStatus.DONE,
        progress=100,
        pdf=default_storage.save("bao-cao-nam/2024/ma-tran.pdf", ContentFile(b"%PDF-1.7 matrix")),
        pdf_size=15,
        pdf_sha256="0" * 64,
        page_count=1,
    )
    d.failed_job = ReviewJob.objects.create(
        year=2024,
        version=2,
        report_date=datetime.date(2024, 12, 20),
        requested_by=d.admin,
        status=JobStatus.FAILED,
        failure_reason="Lỗi thử.",
    )
    d.narrative = PartNarrative.objects.create(year=2024, part="trade", text="Thương mại.", version=1)

    committee = SteeringCommittee.objects.create(
        name="Ban Chỉ đạo", resolution=factories.make_resolution(), established_by="Ban Thường vụ"
    )
    attempt = {
        "username": "canbo.a",
        "ip_address": "10.0.0.1",
        "user_agent": "test",
        "http_accept": "*/*",
        "path_info": "/dang-nhap/",
    }
    d.admin_objects = {
        "auth.group": Group.objects.create(name="Văn phòng"),
        "axes.accessattempt": AccessAttempt.objects.create(**attempt, failures_since_start=1),
        "axes.accesslog": AccessLog.objects.create(**attempt),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**attempt, locked_out=False),
        "otp_totp.totpdevice": d.leader_device,
        "units.organisationunit": d.unit_a,
        "accounts.user": d.officer_a,
        "audit.auditevent": audit_record(AuditEventType.LOGIN, actor=d.officer_a),
        "periods.reportingperiod": d.period,
        "periods.unitreport": d.report_a,
        "periods.figurechange": FigureChange.objects.order_by("pk").first(),
        "resolutions.resolution": committee.resolution,
        "resolutions.actionprogramme": d.task_a.programme,
        "resolutions.steeringcommittee": committee,
        "resolutions.steeringcommitteemember": SteeringCommitteeMember.objects.create(
            committee=committee, full_name="Nguyễn Văn A"
        ),
        "resolutions.field": d.task_a.field,
        "resolutions.task": d.task_a,
        "resolutions.taskupdate": d.task_update_b,
        "projects.project": d.project_a,
        "projects.projectupdate": d.project_update_a,
        "indicators.indicator": d.indicator_a,
        "indicators.indicatortarget": IndicatorTarget.objects.create(indicator=d.indicator_a, year=2024, value=4000),
        "indicators.indicatorvalue": d.value_a,
        "reporting.reportreminder": ReportReminder.objects.create(
            unit=d.unit_a, period=d.period, sent_on=datetime.date(2024, 10, 3)
        ),
        "reviews.partnarrative": d.narrative,
        "reviews.reviewjob": d.done_job,
    }
    assert set(d.admin_objects) == set(ADMIN_MODELS)

    # One signed-in session per person; leaders and the administrator have passed the
    # second step (their session names their verified device, as django-otp's login does).
    d.sessions = {}
    for role, user, device in [
        ("officer_a", d.officer_a, None),
        ("officer_b", d.officer_b, None),
        ("leader", d.leader, d.leader_device),
        ("admin", d.admin, d.admin_device),
    ]:
        client = Client()
        client.force_login(user)
        session = client.session
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        d.sessions[role] = session.session_key
    # The administrator once more, signed in with the password only.
    client = Client()
    client.force_login(d.admin)
    d.sessions["admin_password_only"] = client.session.session_key
    d.users = {"anonymous": None, "officer_a": d.officer_a, "officer_b": d.officer_b, "leader": d.leader, "admin": d.admin}
    assert d.report_a.status == ReportStatus.DRAFT
    return d


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The module's data set, built once inside a transaction that is rolled back at the
    end; each test's own transaction is a savepoint inside it."""
    media = tempfile.TemporaryDirectory(prefix="backancity-matrix-media-")
    with (
        django_db_blocker.unblock(),
        override_settings(TWO_FACTOR_REQUIRED=True, MEDIA_ROOT=media.name),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)
    media.cleanup()


# --- one URL, five people, two methods -----------------------------------------------------

LOGIN_PATHS = ("/dang-nhap/", "/quan-tri/login/")
ADMIN_LOGIN = "/quan-tri/login/"


@dataclass
class Tally:
    requests: int = 0
    by_outcome: dict = field(default_factory=dict)


TALLY = Tally()


def _client(d, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = d.sessions[role]
    return client


def _location(response) -> str:
    return urlsplit(response["Location"]).path


def _try(d, pattern: Pattern, row: Row, role: str, method: str, expected) -> str | None:
    """Send one request in a savepoint that is rolled back; None when the outcome is the
    expected one, else what went wrong."""
    path = build_path(pattern.route, row.kwargs(d))
    user = d.users[role]
    client = _client(d, role)
    with transaction.atomic():
        last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if method == "get":
            response = client.get(path, row.query(d))
        else:
            response = client.post(path, row.data(d))
        if user is not None and response.status_code == 302 and _location(response) == ADMIN_LOGIN:
            # The admin hands people without staff access to its log-in page, which refuses
            # them (403) rather than sending a signed-in person round in circles.
            response = client.get(response["Location"])
        status = response.status_code
        denied_logged = AuditEvent.objects.filter(pk__gt=last_event, event=AuditEventType.ACCESS_DENIED, actor=user).exists()
        transaction.set_rollback(True)

    TALLY.requests += 1
    TALLY.by_outcome[str(expected)] = TALLY.by_outcome.get(str(expected), 0) + 1
    where = f"{method.upper()} {path} as {role}"
    if expected == OK:
        if 200 <= status < 300 or (300 <= status < 400 and _location(response) not in LOGIN_PATHS):
            return None
        return f"{where}: expected OK, got {status} {response.get('Location', '')}"
    if isinstance(expected, Goes):
        target = expected.to(d)
        if 300 <= status < 400 and _location(response) == target:
            return None
        return f"{where}: expected a redirect to {target}, got {status} {response.get('Location', '')}"
    if expected == LOGIN:
        if 300 <= status < 400 and _location(response) in LOGIN_PATHS:
            back = parse_qs(urlsplit(response["Location"]).query).get("next", [""])[0]
            if back.startswith(path):
                return None
            return f"{where}: the log-in redirect does not come back (next={back!r})"
        return f"{where}: expected a log-in redirect, got {status} {response.get('Location', '')}"
    if expected == DENIED:
        if status != 403:
            return f"{where}: expected 403, got {status} {response.get('Location', '')}"
        if not denied_logged:
            return f"{where}: 403 without an audit row"
        return None
    if str(status) != expected:
        return f"{where}: expected {expected}, got {status} {response.get('Location', '')}"
    return None


@pytest.mark.parametrize("pattern", ALL_PATTERNS, ids=[p.key for p in ALL_PATTERNS])
def test_who_reaches_the_url(world, db, pattern):
    row = TABLE.get(pattern.key)
    if row is None:
        pytest.fail(f"{pattern.key} has no entry in the authorisation matrix")
    path = build_path(pattern.route, row.kwargs(world))
    # The sample URL really is this pattern's (not caught by an earlier one).
    assert _join("", resolve(path).route) == pattern.route, f"{path} resolves to {resolve(path).route}"
    problems = []
    for method, outcomes in (("get", row.get), ("post", row.post)):
        assert len(outcomes) == len(ROLES), f"{pattern.key}: one outcome per person"
        for role, expected in zip(ROLES, outcomes, strict=True):
            problems.append(_try(world, pattern, row, role, method, expected))
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


# Reached without the second step: the sign-in pages themselves, and what only signs out.
SECOND_STEP_FREE = {
    "healthz",
    "login",
    "logout",
    "set_language",
    "two_factor_verify",
    "two_factor_setup",
    "admin:login",
    "admin:logout",
}


def test_without_the_second_step_the_administrator_reaches_nothing_else(world, db):
    """Every other URL — the admin's included — sends the administrator who signed in with
    a password only to the two-factor page."""
    target = reverse("two_factor_verify")
    leaks = []
    for pattern in ALL_PATTERNS:
        if pattern.key in SECOND_STEP_FREE:
            continue
        row = TABLE[pattern.key]
        path = build_path(pattern.route, row.kwargs(world))
        with transaction.atomic():
            response = _client(world, "admin_password_only").get(path, row.query(world))
            transaction.set_rollback(True)
        if not (response.status_code == 302 and _location(response) == target):
            leaks.append(f"{path}: {response.status_code} {response.get('Location', '')}")
    assert not leaks, "\n".join(leaks)


def test_zz_the_matrix_covered_every_pattern_for_five_people_and_two_methods():
    """Printed at the end of the module (`pytest -s`): the matrix's size."""
    expected = len(ALL_PATTERNS) * len(ROLES) * 2
    print(
        f"\nauthorisation matrix: {len(ALL_PATTERNS)} URL patterns × {len(ROLES)} people × 2 methods = {expected}"
        f" requests; sent {TALLY.requests}; outcomes {dict(sorted(TALLY.by_outcome.items()))}"
    )
    if TALLY.requests:  # skipped when only this test was selected
        assert TALLY.requests == expected
