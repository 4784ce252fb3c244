"""Locust users of the load test — run through loadtest/run.py, which prepares the
database and the accounts (LOADTEST_PLAN, written by `manage.py loadtest_prepare`),
starts gunicorn over TLS and a Celery worker, and prints the summary.

- Officers (one per unit) save figures of their unit's quarterly report, as on the last
  afternoon before the cut-off: each save sends the version the officer last saw (taken
  from the row the server sent back), and now and then they reload their unit's page.
- Leaders sign in with their TOTP code and open the dashboards.
- The secretariat (a fixed two) asks for a few annual review PDFs and follows them.

Every request is named by its action, so that the summary gives p50/p95 per action.
"""

import itertools
import json
import os
import random
import re
import threading
import time

import gevent.event
import urllib3
from django_otp.oath import totp
from locust import HttpUser, between, events, task

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # our own self-signed certificate

with open(os.environ["LOADTEST_PLAN"], encoding="utf-8") as plan:
    PLAN = json.load(plan)
PERIOD = PLAN["period"]
PDF_REQUESTS = int(os.environ.get("LOADTEST_PDF_REQUESTS", "3"))
# Think time between two actions of one user, in seconds ("min,max"): an officer types a
# row's figure and checks it before saving the next; a leader reads a dashboard.
OFFICER_WAIT = [float(v) for v in os.environ.get("LOADTEST_OFFICER_WAIT", "3,10").split(",")]
LEADER_WAIT = [float(v) for v in os.environ.get("LOADTEST_LEADER_WAIT", "5,15").split(",")]
START = os.environ.get("LOADTEST_START", "staggered")
VERSION = re.compile(r'name="chi-tieu-(\d+)-version" value="(\d+)"')

_accounts = {role: itertools.cycle(PLAN[role]) for role in ("officers", "leaders", "secretariat")}
_lock = threading.Lock()


# Everybody signs in first (Argon2 and TOTP: costly by design); the measured load starts
# when the last user is in, with fresh statistics. The sign-ins' own figures are kept.
_signed_in = 0
everyone_in = gevent.event.Event()
SIGN_IN_STATS = os.environ.get("LOADTEST_SIGN_IN_STATS")


def _one_more_signed_in(environment):
    global _signed_in
    _signed_in += 1
    if _signed_in == environment.parsed_options.num_users and not everyone_in.is_set():
        if SIGN_IN_STATS:
            entries = {
                name: {
                    "count": entry.num_requests,
                    "failures": entry.num_failures,
                    "p50": entry.get_response_time_percentile(0.5),
                    "p95": entry.get_response_time_percentile(0.95),
                }
                for (name, _method), entry in environment.stats.entries.items()
            }
            with open(SIGN_IN_STATS, "w", encoding="utf-8") as handle:
                json.dump({"entries": entries, "steady_from": time.time()}, handle, ensure_ascii=False)
        environment.stats.reset_all()
        everyone_in.set()


def next_account(role: str) -> dict:
    with _lock:
        return next(_accounts[role])


class PortalUser(HttpUser):
    abstract = True
    role = ""
    think = (5.0, 10.0)  # seconds between two actions (min, max)

    def on_start(self):
        self.client.verify = False
        self.account = next_account(self.role)
        self.client.get("/dang-nhap/", name="đăng nhập (trang)")
        response = self.client.post(
            "/dang-nhap/",
            {"username": self.account["username"], "password": self.account["password"], "next": "/"},
            headers=self.csrf_headers(),
            name="đăng nhập",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"đăng nhập thất bại: {response.status_code}")
            return
        if "totp_key" in self.account:
            self.second_factor()
        _one_more_signed_in(self.environment)
        everyone_in.wait()
        if START == "staggered":
            # People at work are not synchronised: each user starts somewhere within one
            # think time, as if they had been busy already. (Together, every user's first
            # request lands in the same instant: a burst no office produces, and with
            # about a thousand requests measured, those 50 are the whole p95.)
            time.sleep(random.uniform(0, self.think[1]))

    def second_factor(self):
        # One code per 30 s step and device (django-otp refuses a code used twice): wait
        # for a fresh step if this device used the current one already.
        key = bytes.fromhex(self.account["totp_key"])
        with _lock:
            step = int(time.time()) // 30
            used = self.account.get("_last_step")
            if used == step:
                time.sleep(30 - time.time() % 30 + 0.5)
                step = int(time.time()) // 30
            self.account["_last_step"] = step
        code = f"{totp(key, step=30, t0=0, digits=6):06d}"
        with self.client.post(
            "/tai-khoan/xac-thuc-hai-buoc/",
            {"code": code, "next": "/"},
            headers=self.csrf_headers(),
            name="xác thực hai bước",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"mã TOTP bị từ chối: {response.status_code}")

    def csrf_headers(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}


class Officer(PortalUser):
    """A ward or department officer typing the quarter's figures."""

    role = "officers"
    weight = 34
    think = OFFICER_WAIT
    wait_time = between(*OFFICER_WAIT)

    def on_start(self):
        super().on_start()
        self.unit = self.account["unit"]
        self.page = f"/bao-cao-quy/{PERIOD['year']}/{PERIOD['quarter']}/{self.unit}/"
        self.versions = {}
        self.open_unit_page()

    @task(1)
    def open_unit_page(self):
        response = self.client.get(self.page, name="trang báo cáo quý của đơn vị")
        self.remember_versions(response.text)

    @task(6)
    def save_figure(self):
        pk = random.choice(self.account["indicators"])
        prefix = f"chi-tieu-{pk}"
        value = f"{random.randint(1, 9)}.{random.randint(0, 999):03d}"  # "4.086": Vietnamese grouping
        with self.client.post(
            f"{self.page}chi-tieu/{pk}/",
            {f"{prefix}-version": self.versions.get(pk, 0), f"{prefix}-value": value, f"{prefix}-kind": "estimate"},
            headers={**self.csrf_headers(), "HX-Request": "true", "Referer": self.host + self.page},
            name="lưu một dòng số liệu",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "Đã lưu" not in response.text:
                response.failure(f"không lưu được ({response.status_code}): {response.text[:200]}")
            self.remember_versions(response.text)

    def remember_versions(self, html: str):
        for pk, version in VERSION.findall(html):
            self.versions[int(pk)] = int(version)


class Leader(PortalUser):
    """A member of the Standing Committee opening the dashboards before a meeting."""

    role = "leaders"
    weight = 14
    think = LEADER_WAIT
    wait_time = between(*LEADER_WAIT)

    @task(3)
    def overview(self):
        self.client.get("/dieu-hanh/", name="bảng điều hành: tổng quan")

    @task(2)
    def indicators(self):
        self.client.get("/dieu-hanh/chi-tieu/", name="bảng điều hành: chỉ tiêu")

    @task(2)
    def projects(self):
        self.client.get("/dieu-hanh/du-an/", name="bảng điều hành: dự án")

    @task(2)
    def task_list(self):
        self.client.get("/dieu-hanh/nhiem-vu/", name="bảng điều hành: nhiệm vụ")

    @task(1)
    def units(self):
        self.client.get("/dieu-hanh/don-vi/", name="bảng điều hành: đơn vị")

    @task(2)
    def one_indicator(self):
        code = random.choice(PLAN["dashboards"]["indicators"])
        self.client.get(f"/dieu-hanh/chi-tieu/{code}/", name="bảng điều hành: một chỉ tiêu")

    @task(1)
    def one_unit(self):
        code = random.choice(PLAN["dashboards"]["units"])
        self.client.get(f"/dieu-hanh/don-vi/{code}/", name="bảng điều hành: một đơn vị")


class Secretariat(PortalUser):
    """The party committee's office: a few annual review PDFs, each followed to the end."""

    role = "secretariat"
    fixed_count = 2
    wait_time = between(*PortalUser.think)

    def on_start(self):
        super().on_start()
        self.requested = 0

    @task
    def request_review(self):
        if self.requested >= PDF_REQUESTS:
            return
        year = PLAN["review_years"][self.requested % len(PLAN["review_years"])]
        self.requested += 1
        with self.client.post(
            f"/bao-cao-nam/{year}/yeu-cau/",
            {"document_number": "", "report_date": f"20/12/{year}", "signer_position": "Bí thư", "signer_name": ""},
            headers=self.csrf_headers(),
            name="yêu cầu báo cáo năm (PDF)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"yêu cầu bị từ chối: {response.status_code}")
                return
        self.client.get(f"/bao-cao-nam/{year}/", name="trang báo cáo năm")


@events.quitting.add_listener
def _mark_end(environment, **kwargs):
    environment.process_exit_code = 1 if environment.stats.total.num_failures else 0
