"""What WeasyPrint may load while it renders a report: the project's own static files,
nothing else.

WeasyPrint's default fetcher follows any URL in the document: `file:///etc/passwd` is read
into the PDF, `http://127.0.0.1:…` or a cloud metadata address is requested from inside
the server. The report prints text the secretariat typed, so the document is built with
a fetcher that refuses every URL except `backancitystatic:<path>`, and resolves that path
with Django's static file finders (which refuse `..` and absolute paths).
"""

import mimetypes
import re

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Letters only: collectstatic's manifest storage leaves a `scheme:` URL in a CSS file alone
# only when the scheme is [a-z]+ (with "backancity-static:" the release step failed).
SCHEME = "backancitystatic:"
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-][A-Za-z0-9_.\-]*)*$")


class RefusedURL(ValueError):
    """A URL the report may not load."""


def static_url(path: str) -> str:
    """The address under which a template refers to a static file, e.g. a font."""
    return f"{SCHEME}{path}"


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves `backancitystatic:fonts/NotoSerif-Regular.ttf` from the static files and
    refuses everything else (file:, http(s):, data:, ftp:, …). WeasyPrint logs a refused
    resource as a warning and leaves it out of the PDF."""

    def __init__(self):
        # No network handlers are used: `fetch` below never calls the opener.
        super().__init__(timeout=1, allowed_protocols=())

    def fetch(self, url, headers=None):
        if not url.startswith(SCHEME):
            raise RefusedURL(f"refused (only the project's static files may be loaded): {url[:200]}")
        path = url[len(SCHEME) :]
        if not _SAFE_PATH.match(path):
            raise RefusedURL(f"refused (not a plain static path): {url[:200]}")
        try:
            found = finders.find(path)
        except SuspiciousFileOperation as exc:
            raise RefusedURL(f"refused (outside the static files): {url[:200]}") from exc
        if not found:
            raise RefusedURL(f"no such static file: {path}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        with open(found, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})
