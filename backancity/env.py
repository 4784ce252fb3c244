"""Typed readers for settings that come from the environment.

Every variable read here is listed in `.env.example` and in the README.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def require_secret_key() -> None:
    """Refuse to serve or run tasks without SECRET_KEY. Settings leave it empty when it is
    not set (and DEBUG is off) so that commands that sign nothing still run."""
    from django.conf import settings

    try:
        getattr(settings, "SECRET_KEY")  # noqa: B009 - Django refuses an empty key on access
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY is required to serve the portal or run its tasks "
            "(Cần đặt biến môi trường SECRET_KEY; khi phát triển, đặt DEBUG=1)."
        ) from None


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]
