"""Print a composed review: HTML from a Django template, then WeasyPrint → PDF.

The PDF is written to a temporary file next to its final place and moved there with
`os.replace`, which is atomic on one file system: a process killed midway leaves the old
file (or none) and a stray temporary file, never a half-written PDF under the final name.
WeasyPrint's output depends only on the HTML and the shipped fonts, so rendering the same
content twice gives the same bytes.
"""

import copy
import hashlib
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from .charts import chart_svg
from .fetcher import StaticFilesOnlyFetcher

TEMPLATE = "reviews/pdf/report.html"
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class RenderedPdf:
    sha256: str
    size: int
    pages: int
    template_seconds: float  # Django template and SVG charts
    layout_seconds: float  # WeasyPrint: parse, style, lay out
    write_seconds: float  # WeasyPrint: write the PDF

    @property
    def weasyprint_seconds(self) -> float:
        return self.layout_seconds + self.write_seconds


def _printable(content: dict) -> dict:
    """A copy of the content ready for the template: every chart carries its number and
    its SVG, every annex cell the class of its column."""
    view = copy.deepcopy(content)
    for annex in view["annexes"]:
        classes = [column["class"] for column in annex["columns"]]
        for group in annex["groups"]:
            group["rows"] = [
                [{"text": text, "class": css} for text, css in zip(row, classes, strict=True)] for row in group["rows"]
            ]
    charts = []
    for section in view["sections"]:
        blocks = [section.get("block")] + [sub.get("block") for sub in section["subsections"]]
        for block in blocks:
            if block:
                charts += block.get("charts", [])
    for annex in view["annexes"]:
        charts += annex.get("charts", [])
    for number, chart in enumerate(charts, start=1):
        chart["number"] = number
        # Our own markup: every piece of text in it is escaped by charts.py.
        chart["svg"] = mark_safe(chart_svg(chart))
    return view


def render_html(content: dict) -> str:
    with translation.override("vi"):
        return render_to_string(TEMPLATE, {"report": _printable(content)})


def render_pdf(content: dict, target: Path, *, on_laid_out: Callable[[], None] | None = None) -> RenderedPdf:
    """Render `content` into `target` atomically. `on_laid_out` runs between layout and
    writing (the job reports its progress there)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    started = time.perf_counter()
    html = render_html(content)
    templated = time.perf_counter()
    document = HTML(string=html, url_fetcher=StaticFilesOnlyFetcher()).render(font_config=FontConfiguration())
    laid_out = time.perf_counter()
    if on_laid_out is not None:
        on_laid_out()

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}{TEMP_SUFFIX}")
    digest = hashlib.sha256()
    try:
        written_at = time.perf_counter()
        with open(temporary, "wb") as handle:
            document.write_pdf(handle)
            handle.flush()
            os.fsync(handle.fileno())
        written = time.perf_counter() - written_at
        with open(temporary, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        size = temporary.stat().st_size
        os.replace(temporary, target)
        _fsync_directory(target.parent)
    finally:
        temporary.unlink(missing_ok=True)
    return RenderedPdf(
        sha256=digest.hexdigest(),
        size=size,
        pages=len(document.pages),
        template_seconds=templated - started,
        layout_seconds=laid_out - templated,
        write_seconds=written,
    )


def remove_stale_temporaries(target: Path) -> int:
    """Delete temporary files a killed run left beside `target`. Returns how many."""
    target = Path(target)
    if not target.parent.is_dir():
        return 0
    removed = 0
    for stray in target.parent.glob(f".{target.name}.*{TEMP_SUFFIX}"):
        stray.unlink(missing_ok=True)
        removed += 1
    return removed


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_directory(directory: Path) -> None:
    # Make the rename itself durable, so a power cut cannot bring back the old state.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
