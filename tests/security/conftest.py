"""Fixtures of the security tests: Hypothesis' profile for the hostile-input tests, the
count of payloads they sent, and a data set built once per module.

Hypothesis profiles (HYPOTHESIS_PROFILE): `ci` (the default) runs a bounded, repeatable
set of examples — the same on every run, no example database written; `thorough` runs
ten times as many, with fresh random examples, for a night's fuzzing by hand.
"""

import os

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

_COMMON = {
    "deadline": None,
    # A Django test client request per example, a module-wide data set: both on purpose.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    "database": None,
    "print_blob": True,
}
hypothesis_settings.register_profile("ci", derandomize=True, **_COMMON)
hypothesis_settings.register_profile("thorough", **_COMMON)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_terminal_summary(terminalreporter):
    from .hostile import PAYLOADS

    if PAYLOADS:
        terminalreporter.write_sep("-", "hostile input")
        for target, count in sorted(PAYLOADS.items()):
            terminalreporter.write_line(f"{count:6d}  {target}")
        terminalreporter.write_line(f"{sum(PAYLOADS.values()):6d}  payloads fuzzed in all, {len(PAYLOADS)} targets")
