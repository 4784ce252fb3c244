"""Where to send someone after a form: the `next` they came with, if it is a path on
this site, else a default.

Only an absolute path ("/bao-cao-quy/…") is accepted. Django's own check lets through
relative targets such as "0", which `redirect()` then takes for a view name (a server
error), and the target travels in a Location header, where a line break or an overlong
value is refused as well."""

from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 2000


def safe_next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and len(target) <= MAX_LENGTH
        and target.isprintable()
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    ):
        return target
    return default
