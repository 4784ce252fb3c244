"""What users see while the database is unavailable (a restart, a failover, a full disk,
a lock held too long): a clear Vietnamese "try again" page instead of an error page that
says nothing. Every write of the portal runs in a transaction, so a request that failed
this way has saved nothing, and the page says so.

Django turns any exception of a request — in a view or in a middleware (loading the
session is often the first query) — into the 500 handler; `portal.views.server_error`
asks `database_unavailable_response` first. Nothing here touches the database.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger("backancity.unavailable")

# Seconds a client (or a proxy) is told to wait before trying again.
RETRY_AFTER_SECONDS = 30


def database_error_of(exc: BaseException | None) -> BaseException | None:
    """The database connectivity error behind `exc` (itself, or what it was raised from),
    if any. OperationalError covers a server that is down or refuses connections, a
    connection lost mid-request, a lock or statement timeout and a deadlock; all of them
    pass if the user tries again."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OperationalError | InterfaceError):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def database_unavailable_response(request, exc: BaseException | None) -> HttpResponse | None:
    """The "try again" response when `exc` is the database being unavailable, else None.
    A full page gets 503 with Retry-After. An htmx request (a row saved on the quarterly
    report page) gets a notice put at the top of the page instead, so that the figures the
    officer typed stay in the form to be saved again (htmx swaps nothing on an error
    status, so that one is a 200)."""
    error = database_error_of(exc)
    if error is None:
        return None
    logger.error(
        "database unavailable during %s %s: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip()[:300],
    )
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(loader.get_template("ops/database_unavailable_notice.html").render())
        response["HX-Retarget"] = "body"
        response["HX-Reswap"] = "afterbegin"
        return response
    # Back to the page the form was on (a failed POST cannot simply be reloaded).
    back = request.headers.get("Referer") or ""
    try:
        same_site = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    except Exception:  # a host we do not serve: no link back to it
        same_site = False
    if not same_site:
        back = request.get_full_path() if request.method == "GET" else "/"
    page = loader.get_template("ops/database_unavailable.html").render(
        {"back_url": back, "was_writing": request.method not in ("GET", "HEAD")}
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
