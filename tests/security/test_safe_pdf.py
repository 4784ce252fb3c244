"""Safe PDF rendering of the annual review.

Everything a user can type into the report — the secretariat's narratives, the signer,
unit, task, project and indicator names, a unit's task narrative — may carry `file://`
links, internal addresses (127.0.0.1, 169.254.169.254, ::1, localhost names) and
redirects. The PDF is built with nothing fetched or embedded from outside the project's
static files. What the render process does is watched with Python audit hooks (every
socket, name look-up and file opened) and with local HTTP servers that count their hits;
the hook also refuses any connection that would leave this machine.

And a render that runs too long is stopped and marked failed, with no file left behind.
"""

import contextlib
import datetime
import mimetypes
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from periods.models import ReportStatus
from reviews.compose import IssueDetails
from reviews.fetcher import RefusedURL, StaticFilesOnlyFetcher
from reviews.models import JobStatus, PartNarrative, ReviewJob, ReviewPart
from reviews.rendering import render_html
from reviews.services import review_job_fail, review_job_request
from reviews.tasks import RenderTimeLimitExceeded, _time_limit
from tests import factories

# --- watching the process ------------------------------------------------------------------

_WATCH: list | None = None
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "127.0.0.1", "::1", "0.0.0.0", "127.1"}


def _is_loopback(host) -> bool:
    host = str(host).strip("[]").lower()
    return host in _LOOPBACK_NAMES or host.startswith("127.") or host == "::ffff:127.0.0.1"


def _hook(event, args):
    if _WATCH is None:
        return
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "open"):
        _WATCH.append((event, args))
    # Whatever happens, nothing leaves this machine: a look-up of another name or a
    # connection to another address is refused before it is made.
    if event == "socket.getaddrinfo" and not _is_loopback(args[0]):
        raise PermissionError(f"test: look-up of {args[0]!r} refused")
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise PermissionError(f"test: connection to {address!r} refused")


sys.addaudithook(_hook)


class Watch:
    """What the code inside `with Watch() as watch:` did: network events, and files opened
    outside Python's own installation, the project's checkout (templates, static files)
    and the render's output folder."""

    def __init__(self, *allowed_dirs: Path):
        self.allowed = [str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, settings.BASE_DIR, *allowed_dirs)]
        # WeasyPrint hands the fonts it loaded to fontconfig through files of its own; the
        # time zone database is read for the dates.
        self.allowed_prefixes = (str(Path(tempfile.gettempdir()).resolve() / "weasyprint-"), "/usr/share/zoneinfo/")
        self.events: list = []

    def __enter__(self):
        global _WATCH
        mimetypes.init()  # reads /etc/mime.types once; not the report's doing
        _WATCH = self.events
        return self

    def __exit__(self, *exc):
        global _WATCH
        _WATCH = None

    @property
    def network(self) -> list:
        return [(event, args) for event, args in self.events if event != "open"]

    @property
    def files(self) -> list[str]:
        opened = []
        for event, args in self.events:
            if event != "open" or not isinstance(args[0], (str, bytes)):
                continue
            path = str(Path(args[0] if isinstance(args[0], str) else args[0].decode()).resolve())
            if path.startswith(self.allowed_prefixes):
                continue
            if not any(path == allowed or path.startswith(allowed + "/") for allowed in self.allowed):
                opened.append(path)
        return opened


# --- local servers that count their hits ---------------------------------------------------


class CountingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits.append(self.path)
        if self.path.startswith("/chuyen-huong"):
            # An allowed-looking address that redirects elsewhere on the machine.
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/bi-mat.png")
            self.end_headers()
            return
        body, kind = (self.server.png, "image/png") if self.path.endswith(".png") else (b"p { color: red }", "text/css")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _png() -> bytes:
    import io

    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(stream, format="PNG")
    return stream.getvalue()


def _serve(server_class, host):
    server = server_class((host, 0), CountingHandler)
    server.hits = []
    server.png = _png()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def servers():
    """An HTTP server on 127.0.0.1, and one on ::1 where the machine has IPv6."""
    started = [_serve(ThreadingHTTPServer, "127.0.0.1")]
    with contextlib.suppress(OSError):
        started.append(_serve(IPv6Server, "::1"))
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


def hits(servers) -> list[str]:
    return [hit for server in servers for hit in server.hits]


@pytest.fixture
def secret(tmp_path) -> Path:
    folder = tmp_path / "ngoai-du-an"
    folder.mkdir()
    path = folder / "bi-mat.png"
    path.write_bytes(_png())
    return path


def payloads(servers, secret: Path) -> list[str]:
    """Markup and addresses a hostile user might type, aimed at this machine."""
    port = servers[0].server_address[1]
    lines = [
        f'<img src="file://{secret}">',
        '<img src="file:///etc/passwd"> file:///etc/hostname',
        f'<img src="http://127.0.0.1:{port}/bi-mat.png">',
        f'<img src="http://localhost:{port}/chuyen-huong">',
        f'<img src="http://127.1:{port}/bi-mat.png"> <img src="http://0.0.0.0:{port}/bi-mat.png">',
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/kieu.css">',
        f'<style>@import url("http://127.0.0.1:{port}/kieu.css"); body {{ background: url(file://{secret}) }}</style>',
        f'<div style="background-image: url(http://localhost:{port}/bi-mat.png)">nền</div>',
        '<img src="http://169.254.169.254/latest/meta-data/iam/security-credentials/">',
        '<iframe src="http://metadata.google.internal/computeMetadata/v1/"></iframe>',
        f'<object data="file://{secret}"></object><embed src="file:///etc/passwd">',
        f'<svg><image href="file://{secret}"/></svg>',
        '<a href="file:///etc/passwd">liên kết</a> <script>alert("x")</script>',
        f'<img src="backancitystatic:../../../../{secret}"> <img src="backancitystatic:/etc/passwd">',
    ]
    if len(servers) > 1:
        lines.append(f'<img src="http://[::1]:{servers[1].server_address[1]}/bi-mat.png">')
    return lines


def pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext không có trên máy (apt-get install poppler-utils)")
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def pdf_images(path: Path) -> int:
    if not shutil.which("pdfimages"):
        pytest.skip("pdfimages không có trên máy (apt-get install poppler-utils)")
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True).stdout
    return len(out.splitlines()) - 2


class _References(HTMLParser):
    """Every element of a page that could make a renderer load something, and every style
    sheet or style attribute (which can hold url())."""

    ATTRIBUTES = {"src", "href", "data", "srcset", "poster", "action", "background", "xlink:href", "style"}

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "iframe", "object", "embed", "img", "svg", "image"):
            self.found.append((tag, "", ""))
        self.found += [(tag, name, value) for name, value in attrs if name in self.ATTRIBUTES]


def references_in(html: str) -> list:
    parser = _References()
    parser.feed(html)
    return parser.found


# --- a hostile report -------------------------------------------------------------------------


@pytest.fixture
def hostile_year(db, servers, secret, ward, secretariat):
    """2024 with every text the report prints carrying the payloads."""
    hostile = " ".join(payloads(servers, secret))
    q4 = factories.make_period(2024, 4)
    ward.name = f"Phường {hostile[:190]}"
    ward.save()
    indicator = factories.make_indicator(responsible_unit=ward, name=f"Chỉ tiêu {hostile[:250]}")
    factories.make_indicator_value(indicator=indicator, period=q4, value="4086")
    project = factories.make_project(managing_unit=ward, name=f"Dự án {hostile[:250]}")
    factories.make_project_update(project=project, period=q4, progress_percent=40, narrative=hostile)
    task = factories.make_task(lead_unit=ward, content=f"Nhiệm vụ {hostile}")
    factories.make_task_update(task=task, period=q4, narrative=hostile)
    factories.set_report_status(ward, q4, ReportStatus.APPROVED)
    for part in ReviewPart:
        PartNarrative.objects.create(year=2024, part=part, text="\n".join(payloads(servers, secret)), version=1)
    return hostile


@pytest.mark.django_db
def test_a_hostile_report_is_built_with_nothing_fetched_or_embedded(
    hostile_year, servers, secret, secretariat, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    details = IssueDetails(
        report_date=datetime.date(2024, 12, 20),
        number="45",
        # As long as the request form lets them be.
        signer_position=f'Bí thư <img src="file://{secret}">'[:100],
        signer_name=f'<img src="http://localhost:{servers[0].server_address[1]}/chuyen-huong">'[:120],
    )
    with Watch(settings.MEDIA_ROOT) as watch, django_capture_on_commit_callbacks(execute=True):
        job = review_job_request(year=2024, actor=secretariat, details=details)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.failure_reason

    assert hits(servers) == []
    assert watch.network == []
    assert watch.files == []
    pdf = Path(settings.MEDIA_ROOT) / job.pdf.name
    assert pdf_images(pdf) == 0
    # The only reference to anything outside the text is the report's own stylesheet.
    # (The charts are SVG drawn by reviews/charts.py, which escapes every text in them.)
    references = [found for found in references_in(render_html(job.content)) if found != ("svg", "", "")]
    assert references == [("link", "href", "backancitystatic:reviews/review-pdf.css")]
    # The payloads are printed as the text they are.
    text = pdf_text(pdf)
    assert '<img src="file:///etc/passwd">' in text
    assert '<script>alert("x")</script>' in text and "169.254.169.254" in text


@pytest.mark.django_db
def test_unescaped_the_same_markup_is_still_refused_by_our_fetcher_but_not_by_weasyprints(servers, secret, tmp_path):
    """Were the text ever printed as markup, the fetcher would still load nothing — and
    WeasyPrint's own fetcher would read the file and call the servers, following the
    redirect: what the watch and the servers see is real."""
    local = [line for line in payloads(servers, secret) if "169.254" not in line and "metadata.google" not in line]
    document = "<p>Báo cáo</p>" + "\n".join(local)

    out = tmp_path / "out"
    out.mkdir()
    with Watch(out) as guarded:
        HTML(string=document, url_fetcher=StaticFilesOnlyFetcher()).write_pdf(out / "guarded.pdf")
    assert hits(servers) == [] and guarded.network == [] and guarded.files == []
    assert pdf_images(out / "guarded.pdf") == 0

    with Watch(out) as unguarded:
        HTML(string=document, url_fetcher=URLFetcher(timeout=2)).write_pdf(out / "unguarded.pdf")
    assert "/chuyen-huong" in hits(servers) and "/bi-mat.png" in hits(servers)
    assert str(secret) in unguarded.files
    assert any(event == "socket.connect" for event, _args in unguarded.network)
    assert pdf_images(out / "unguarded.pdf") >= 1


@pytest.mark.parametrize(
    "template",
    [
        "http://localhost:{port}/static/reviews/review-pdf.css",
        "http://127.0.0.1:{port}/static/fonts/NotoSerif-Regular.ttf",
        "http://127.1:{port}/",
        "http://2130706433:{port}/",
        "http://0.0.0.0:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://localhost.localdomain:{port}/",
        "http://127.0.0.1:{port}/chuyen-huong",
        "https://backancity.example.vn/static/reviews/review-pdf.css",
        "//127.0.0.1:{port}/bi-mat.png",
        "backancitystatic:http://127.0.0.1:{port}/",
        "backancitystatic:reviews/review-pdf.css?@127.0.0.1:{port}",
        "backancitystatic:reviews\\..\\..\\manage.py",
        "backancitystatic:fonts/NotoSerif-Regular.ttf/../../../manage.py",
        "backancitystatic:reviews/%2e%2e/%2e%2e/manage.py",
        "BACKANCITY-STATIC:../manage.py",
        " backancitystatic:reviews/review-pdf.css",
    ],
)
def test_allowed_looking_addresses_are_refused_without_a_request(servers, template):
    url = template.format(port=servers[0].server_address[1])
    with Watch() as watch, pytest.raises(RefusedURL):
        StaticFilesOnlyFetcher().fetch(url)
    assert hits(servers) == [] and watch.network == []


# --- a render that runs too long ---------------------------------------------------------------


def long_narratives(year: int) -> None:
    """Close to the longest text the secretariat can write (every part near its limit):
    rendering it takes several seconds on any machine, fonts already loaded or not."""
    paragraph = "Nội dung dài để quá trình dựng PDF kéo dài, phục vụ kiểm thử giới hạn thời gian dựng báo cáo. " * 4
    for part in ReviewPart:
        PartNarrative.objects.create(year=year, part=part, text="\n".join([paragraph] * 45), version=1)


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file())


@pytest.mark.django_db
# The alarm may land in WeasyPrint's FontConfiguration.__del__, where Python prints and
# drops it (the next repeat stops the render): expected, not a warning.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_render_over_its_time_limit_is_stopped_and_marked_failed_without_a_file(
    secretariat, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REVIEWS_RENDER_TIME_LIMIT = 1
    long_narratives(2024)
    with django_capture_on_commit_callbacks(execute=True):
        job = review_job_request(year=2024, actor=secretariat, details=IssueDetails(report_date=datetime.date(2024, 12, 20)))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.failure_reason.startswith("Dựng báo cáo vượt quá thời gian cho phép (1 giây)")
    assert not job.pdf and job.page_count is None
    assert files_in(settings.MEDIA_ROOT) == []


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_time_limit_still_stops_a_render_when_a_finaliser_swallows_the_first_alarm():
    """Python prints and drops an exception raised inside `__del__` (seen in CI: the alarm
    fired in WeasyPrint's FontConfiguration.__del__ and the render ran to the end)."""

    class SlowToFinalise:
        def __del__(self):
            started = time.monotonic()
            while time.monotonic() - started < 1.5:  # the first alarm lands here
                time.sleep(0.01)

    started = time.monotonic()
    with pytest.raises(RenderTimeLimitExceeded), _time_limit(1):
        SlowToFinalise()  # finalised at once: no reference is kept
        while time.monotonic() - started < 3:
            time.sleep(0.01)
    assert time.monotonic() - started < 2.5  # the repeat, a second after the lost alarm


@pytest.mark.django_db
def test_a_failed_version_leaves_no_file_behind(secretariat, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = ReviewJob.objects.create(
        year=2024, version=1, report_date=datetime.date(2024, 12, 20), requested_by=secretariat, status=JobStatus.RENDERING
    )
    target = Path(settings.MEDIA_ROOT) / job.storage_name()
    target.parent.mkdir(parents=True)
    target.write_bytes(b"%PDF-1.7 written just before the limit")
    (target.parent / f".{target.name}.abc.tmp").write_bytes(b"%PDF half")
    review_job_fail(job_id=job.pk, reason="Dừng.")
    assert files_in(settings.MEDIA_ROOT) == []
