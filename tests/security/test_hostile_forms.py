"""Hostile input against every form (point 7 of the security issue): generated payloads
through the Django test client, as the people who use each form. After each payload:
no server error, stored text normalised (NFC, no NUL), decimals within their columns,
no raw markup in the page, no redirect off the site. Each payload runs in a savepoint
rolled back after it. See hostile.py for the payloads, conftest.py for the profile."""

import datetime
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Role
from indicators.models import IndicatorValue, ValueKind, ValueType
from periods.models import ReportStatus, UnitReport
from projects.models import Phase, ProjectUpdate
from resolutions.models import TaskStatus, TaskUpdate
from reviews.models import PartNarrative, ReviewJob
from tests import factories
from tests.factories import PASSWORD
from units.models import UnitKind

from .hostile import (
    PAYLOADS,
    assert_escaped,
    assert_no_server_error,
    assert_normalised,
    assert_stays_on_the_site,
    examples,
    hostile_choice,
    hostile_date,
    hostile_integer,
    hostile_number,
    hostile_text,
    kept_for_the_module,
    rolled_back,
)

# `next` values aimed off the site.
hostile_next = st.one_of(
    st.sampled_from(
        [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "http:evil.example",
            "/bao-cao-quy/",
            "",
            "/%0d%0aSet-Cookie:x=1",
            "https://testserver@evil.example/",
        ]
    ),
    hostile_text,
)


class World:
    current = None

    def __init__(self):
        World.current = self
        self.unit = factories.make_unit(name="Phường Sông Cầu", kind=UnitKind.WARD, code="phuong-fuzz")
        self.officer = factories.make_user(role=Role.OFFICER, unit=self.unit, username="canbo.fuzz")
        self.leader = factories.make_user(role=Role.LEADER, username="lanhdao.fuzz")
        self.secretariat = factories.make_user(role=Role.SECRETARIAT, username="vanphong.fuzz", is_staff=True, is_superuser=True)
        self.device = TOTPDevice.objects.create(user=self.leader, name="Điện thoại", confirmed=True)
        self.period = factories.make_period(2024, 3)
        self.task = factories.make_task(lead_unit=self.unit, code="NV-FUZZ", deadline=datetime.date(2024, 12, 31))
        self.project = factories.make_project(managing_unit=self.unit, code="du-an-fuzz")
        self.number = factories.make_indicator(responsible_unit=self.unit, code="chi-tieu-so")
        self.ratio = factories.make_indicator(
            responsible_unit=self.unit, code="chi-tieu-ty-le", unit_of_measure="%", value_type=ValueType.RATIO, decimal_places=2
        )
        # One session per person for the whole module (signing in for every example would
        # cost more than the example).
        self.sessions = {}
        for key, user in [("officer", self.officer), ("leader", self.leader), ("secretariat", self.secretariat)]:
            client = Client()
            client.force_login(user)
            self.sessions[key] = client.session.session_key
        # The leader has a device: the session above still awaits the second step; this
        # one has passed it.
        client = Client()
        client.force_login(self.leader)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = self.device.persistent_id
        session.save()
        self.sessions["verified_leader"] = session.session_key

    def row_url(self, kind, pk):
        return reverse("reporting:row_save", args=[2024, 3, self.unit.code, kind, pk])

    def unit_url(self, name):
        return reverse(f"reporting:{name}", args=[2024, 3, self.unit.code])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        yield World()


def signed_in(who: str) -> Client:
    """A client with the person's module-wide session."""
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = World.current.sessions[who]
    return client


def post(client, url, data, *, htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url, data, **headers)
    assert_no_server_error(response)
    assert_escaped(response)
    assert_stays_on_the_site(response)
    return response


# --- the reporting page's row saves ----------------------------------------------------------


@hypothesis_settings(max_examples=examples(150))
@given(
    status=hostile_choice(TaskStatus.values),
    narrative=hostile_text,
    completed_on=hostile_date,
    version=hostile_integer,
    htmx=st.booleans(),
)
def test_task_row_save(world, db, status, narrative, completed_on, version, htmx):
    PAYLOADS["reporting: task row save"] += 1
    client = signed_in("officer")
    prefix = f"nhiem-vu-{world.task.pk}"
    data = {f"{prefix}-status": status, f"{prefix}-narrative": narrative, f"{prefix}-completed_on": completed_on}
    data[f"{prefix}-version"] = version
    with rolled_back():
        response = post(client, world.row_url("nhiem-vu", world.task.pk), data, htmx=htmx)
        assert response.status_code in (200, 302, 422)
        for figure in TaskUpdate.objects.filter(task=world.task):
            assert_normalised(figure)


@hypothesis_settings(max_examples=examples(150))
@given(
    progress=hostile_number,
    phase=hostile_choice(Phase.values),
    allocated=hostile_number,
    disbursed=hostile_number,
    narrative=hostile_text,
    obstacles=hostile_text,
    recommendations=hostile_text,
    version=hostile_integer,
    htmx=st.booleans(),
)
def test_project_row_save(world, db, progress, phase, allocated, disbursed, narrative, obstacles, recommendations, version, htmx):
    PAYLOADS["reporting: project row save"] += 1
    client = signed_in("officer")
    prefix = f"du-an-{world.project.pk}"
    data = {
        f"{prefix}-progress_percent": progress,
        f"{prefix}-phase": phase,
        f"{prefix}-allocated_capital": allocated,
        f"{prefix}-disbursed_amount": disbursed,
        f"{prefix}-narrative": narrative,
        f"{prefix}-obstacles": obstacles,
        f"{prefix}-recommendations": recommendations,
        f"{prefix}-version": version,
    }
    with rolled_back():
        response = post(client, world.row_url("du-an", world.project.pk), data, htmx=htmx)
        assert response.status_code in (200, 302, 422)
        for figure in ProjectUpdate.objects.filter(project=world.project):
            assert_normalised(figure)


@hypothesis_settings(max_examples=examples(150))
@given(
    value=hostile_number,
    kind=hostile_choice(ValueKind.values),
    note=hostile_text,
    source=hostile_text,
    version=hostile_integer,
    htmx=st.booleans(),
)
def test_indicator_row_save(world, db, value, kind, note, source, version, htmx):
    PAYLOADS["reporting: indicator row save"] += 1
    client = signed_in("officer")
    prefix = f"chi-tieu-{world.number.pk}"
    data = {f"{prefix}-value": value, f"{prefix}-kind": kind, f"{prefix}-note": note, f"{prefix}-source": source}
    data[f"{prefix}-version"] = version
    with rolled_back():
        response = post(client, world.row_url("chi-tieu", world.number.pk), data, htmx=htmx)
        assert response.status_code in (200, 302, 422)
        for figure in IndicatorValue.objects.filter(indicator=world.number):
            assert_normalised(figure)


@hypothesis_settings(max_examples=examples(150))
@given(
    numerator=hostile_number,
    denominator=hostile_number,
    kind=hostile_choice(ValueKind.values),
    note=hostile_text,
    value=hostile_number,
    htmx=st.booleans(),
)
def test_ratio_indicator_row_save(world, db, numerator, denominator, kind, note, value, htmx):
    PAYLOADS["reporting: ratio indicator row save (numerator/denominator)"] += 1
    client = signed_in("officer")
    prefix = f"chi-tieu-{world.ratio.pk}"
    data = {
        f"{prefix}-numerator": numerator,
        f"{prefix}-denominator": denominator,
        f"{prefix}-value": value,  # not a field of a ratio: must be ignored
        f"{prefix}-kind": kind,
        f"{prefix}-note": note,
        f"{prefix}-version": "0",
    }
    with rolled_back():
        response = post(client, world.row_url("chi-tieu", world.ratio.pk), data, htmx=htmx)
        assert response.status_code in (200, 302, 422)
        for figure in IndicatorValue.objects.filter(indicator=world.ratio):
            assert_normalised(figure)
            assert 0 <= figure.value <= 100


# --- the workflow's reasons ---------------------------------------------------------------------


@hypothesis_settings(max_examples=examples(150))
@given(step=st.sampled_from(["return", "reopen"]), reason=hostile_text, next_url=hostile_next)
def test_return_and_reopen_reasons(world, db, step, reason, next_url):
    PAYLOADS["reporting: return / reopen reason"] += 1
    client = signed_in("verified_leader")
    with rolled_back():
        before = ReportStatus.SUBMITTED if step == "return" else ReportStatus.APPROVED
        factories.set_report_status(world.unit, world.period, before)
        response = post(client, world.unit_url(step), {"reason": reason, "next": next_url})
        assert response.status_code == 302
        report = UnitReport.objects.get(unit=world.unit, period=world.period)
        assert_normalised(report)
        for event in report.events.all():
            assert_normalised(event)


# --- the annual review's forms ------------------------------------------------------------------


@hypothesis_settings(max_examples=examples(100))
@given(text=hostile_text, include_figures=st.sampled_from(["on", "", "0", "false", "\x00"]), version=hostile_integer)
def test_review_narrative_editor(world, db, text, include_figures, version):
    PAYLOADS["reviews: narrative editor"] += 1
    client = signed_in("secretariat")
    url = reverse("reviews:narrative_edit", args=[2024, "trade"])
    with rolled_back():
        response = post(client, url, {"text": text, "include_figures": include_figures, "version": version})
        assert response.status_code in (302, 400, 409)
        for narrative in PartNarrative.objects.filter(year=2024):
            assert_normalised(narrative)
            for revision in narrative.revisions.all():
                assert_normalised(revision)
        if response.status_code == 302:
            assert_escaped(client.get(url))


@hypothesis_settings(max_examples=examples(120))
@given(number=hostile_text | hostile_integer, report_date=hostile_date, position=hostile_text, name=hostile_text)
def test_review_request_form(world, db, number, report_date, position, name):
    PAYLOADS["reviews: request form"] += 1
    client = signed_in("secretariat")
    data = {"document_number": number, "report_date": report_date, "signer_position": position, "signer_name": name}
    with rolled_back():
        # The job is queued on commit, which never comes here: nothing is rendered.
        response = post(client, reverse("reviews:request", args=[2024]), data)
        assert response.status_code in (302, 400)
        for job in ReviewJob.objects.all():
            assert_normalised(job)
        if response.status_code == 302:
            assert_escaped(client.get(reverse("reviews:year", args=[2024])))


# --- signing in ---------------------------------------------------------------------------------


@hypothesis_settings(max_examples=examples(150))
@given(
    username=st.one_of(st.just("canbo.fuzz"), hostile_text),
    password=st.one_of(st.just(PASSWORD), hostile_text),
    next_url=hostile_next,
)
def test_log_in_form(world, db, settings, username, password, next_url):
    PAYLOADS["accounts: log-in form"] += 1
    settings.AXES_ENABLED = True  # lock-out on, as in production
    with rolled_back():
        response = post(
            Client(), reverse("login") + "?" + urlencode({"next": next_url}), {"username": username, "password": password}
        )
        assert response.status_code in (200, 302, 429)


@hypothesis_settings(max_examples=examples(120))
@given(code=st.one_of(hostile_text, hostile_integer, st.from_regex(r"\A[0-9]{6}\Z")), next_url=hostile_next)
def test_two_factor_verify_form(world, db, settings, code, next_url):
    PAYLOADS["accounts: two-factor code"] += 1
    settings.TWO_FACTOR_REQUIRED = True
    client = signed_in("leader")  # password only: the second step is due
    with rolled_back():
        response = post(client, reverse("two_factor_verify"), {"code": code, "next": next_url})
        assert response.status_code in (200, 302)


@hypothesis_settings(max_examples=examples(40))  # each page draws a QR code: slow
@given(code=st.one_of(hostile_text, st.from_regex(r"\A[0-9]{6}\Z")), next_url=hostile_next)
def test_two_factor_setup_form(world, db, code, next_url):
    PAYLOADS["accounts: two-factor set-up"] += 1
    client = signed_in("officer")
    with rolled_back():
        response = post(client, reverse("two_factor_setup"), {"code": code, "next": next_url})
        assert response.status_code in (200, 302)
        for device in TOTPDevice.objects.filter(user=world.officer):
            assert_normalised(device)


@hypothesis_settings(max_examples=examples(120))
@given(old=st.one_of(st.just(PASSWORD), hostile_text), new=hostile_text, again=st.one_of(st.none(), hostile_text))
def test_password_change_form(world, db, old, new, again):
    PAYLOADS["accounts: password change"] += 1
    client = signed_in("officer")
    data = {"old_password": old, "new_password1": new, "new_password2": new if again is None else again}
    with rolled_back():
        response = post(client, reverse("password_change"), data)
        assert response.status_code in (200, 302)


# --- query strings: the dashboards' filters and the other GET forms ------------------------------

DASHBOARD_PAGES = [
    ("dashboards:overview", []),
    ("dashboards:indicators", []),
    ("dashboards:projects", []),
    ("dashboards:tasks", []),
    ("dashboards:units", []),
    ("dashboards:indicator_detail", ["chi-tieu-so"]),
    ("dashboards:project_detail", ["du-an-fuzz"]),
    ("dashboards:task_detail", None),
    ("dashboards:unit_detail", ["phuong-fuzz"]),
]
PARAMETERS = ["nam", "quy", "linh_vuc", "don_vi", "chinh_thuc", "phan_loai", "tien_do", "trong_diem", "danh_gia", "trang"]
query_pairs = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), hostile_text), st.one_of(hostile_integer, hostile_text, hostile_date)),
    max_size=6,
)
raw_query = st.text(alphabet=st.sampled_from(list("%=&;+ ?#abcxyz0123456789FfAa\\/")), max_size=40)


@hypothesis_settings(max_examples=examples(240))
@given(page=st.sampled_from(DASHBOARD_PAGES), pairs=query_pairs, raw=st.one_of(st.none(), raw_query), leader=st.booleans())
def test_dashboard_filters(world, db, page, pairs, raw, leader):
    PAYLOADS["dashboards: filters (query strings)"] += 1
    name, args = page
    url = reverse(name, args=args if args is not None else [world.task.pk])
    query = raw if raw is not None else urlencode(pairs)
    client = signed_in("verified_leader" if leader else "officer")
    with rolled_back():
        response = client.get(f"{url}?{query}")
        assert_no_server_error(response)
        assert_escaped(response)
        assert response.status_code == 200


OTHER_QUERIES = [
    ("reporting:overview_period", [2024, 3], ["loc"]),
    ("spreadsheets:export", [], ["ky", "bang", "dinh_dang"]),
    ("spreadsheets:template", [], ["ky"]),
    ("spreadsheets:index", [], ["ky"]),
    ("reporting:unit_report", [2024, 3, "phuong-fuzz"], ["next"]),
    ("two_factor_verify", [], ["next"]),  # an officer without a device: sent on to set one up
    ("two_factor_setup", [], ["next"]),
]


@hypothesis_settings(max_examples=examples(120))
@given(page=st.sampled_from(OTHER_QUERIES), values=st.lists(st.one_of(hostile_integer, hostile_text), min_size=3, max_size=3))
def test_other_query_strings(world, db, page, values):
    PAYLOADS["reporting, Excel: query strings"] += 1
    name, args, keys = page
    who = "verified_leader" if name == "reporting:overview_period" else "officer"
    query = urlencode(dict(zip(keys, values, strict=False)))
    with rolled_back():
        response = signed_in(who).get(f"{reverse(name, args=args)}?{query}")
        assert_no_server_error(response)
        assert_escaped(response)
        assert_stays_on_the_site(response)
