"""WeasyPrint may load only the project's own static files: a narrative is user input,
and WeasyPrint's default fetcher reads local files and calls internal addresses."""

import datetime
import shutil
import socket
import subprocess
import threading

import pytest
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from reviews.compose import IssueDetails, compose_review
from reviews.fetcher import RefusedURL, StaticFilesOnlyFetcher
from reviews.models import PartNarrative, ReviewPart
from reviews.rendering import render_html, render_pdf

from .conftest import pdf_text


def pdf_image_count(path) -> int:
    if not shutil.which("pdfimages"):
        pytest.skip("pdfimages không có trên máy (apt-get install poppler-utils)")
    output = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True).stdout
    return len(output.splitlines()) - 2


@pytest.fixture
def png(tmp_path):
    from PIL import Image

    path = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(path)
    return path


@pytest.fixture
def listener():
    """A TCP server on 127.0.0.1 that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join(2)
    server.close()


def test_the_fetcher_serves_the_shipped_fonts_and_stylesheet():
    fetcher = StaticFilesOnlyFetcher()
    font = fetcher.fetch("backancitystatic:fonts/NotoSerif-Regular.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    css = fetcher.fetch("backancitystatic:reviews/review-pdf.css")
    assert b"@font-face" in css.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        "FILE:///etc/passwd",
        "http://127.0.0.1:6379/",
        "http://localhost:8000/quan-tri/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.png",
        "ftp://127.0.0.1/x",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "backancitystatic:../backancity/settings.py",
        "backancitystatic:fonts/../../manage.py",
        "backancitystatic:/etc/passwd",
        "backancitystatic:%2e%2e/manage.py",
        "backancitystatic:fonts/khong-co.ttf",
        "backancitystatic:",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        StaticFilesOnlyFetcher().fetch(url)


def test_a_document_cannot_pull_in_a_local_file_or_call_an_internal_address(png, listener, tmp_path):
    port, connections = listener
    html = (
        f'<p>x</p><img src="file://{png}"><img src="http://127.0.0.1:{port}/a.png">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
    )
    guarded = tmp_path / "guarded.pdf"
    HTML(string=html, url_fetcher=StaticFilesOnlyFetcher()).write_pdf(guarded)
    assert pdf_image_count(guarded) == 0
    assert connections == []

    # The same document with WeasyPrint's default fetcher does both: that is what the
    # guard is for (and shows this test can fail).
    unguarded = tmp_path / "unguarded.pdf"
    HTML(string=html, url_fetcher=URLFetcher(timeout=2)).write_pdf(unguarded)
    assert pdf_image_count(unguarded) == 1
    assert connections


@pytest.mark.django_db
def test_a_narrative_is_printed_as_text_never_as_markup(png, listener, tmp_path):
    port, connections = listener
    attack = (
        f'<img src="file://{png}"> <img src="http://127.0.0.1:{port}/x"> '
        '<style>@import url("file:///etc/passwd");</style> <b>đậm</b> <script>alert(1)</script>'
    )
    PartNarrative.objects.create(year=2024, part=ReviewPart.TRADE, text=attack, version=1)
    content = compose_review(2024, details=IssueDetails(report_date=datetime.date(2024, 12, 20)))
    html = render_html(content)
    assert "&lt;img src=&quot;file://" in html and "<b>đậm</b>" not in html and "<script>" not in html

    path = tmp_path / "report.pdf"
    render_pdf(content, path)
    assert pdf_image_count(path) == 0
    assert connections == []
    text = pdf_text(path)
    assert '<img src="file://' in text and "secret.png" in text
    assert "<script>alert(1)</script>" in text
