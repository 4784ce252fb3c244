import datetime

from django.conf import settings
from django.utils import timezone

from .models import ReportingPeriod


def periods_ensure_through(*, day: datetime.date | None = None) -> int:
    """Create every quarter from the portal's first year to the end of `day`'s year (and
    the next year's first quarter once the fourth is under way). Returns how many were
    created; running it again creates nothing."""
    day = day or timezone.localdate()
    wanted = [(year, quarter) for year in range(settings.PORTAL_FIRST_YEAR, day.year + 1) for quarter in range(1, 5)]
    if day.month >= 10:
        wanted.append((day.year + 1, 1))
    existing = set(ReportingPeriod.objects.values_list("year", "quarter"))
    created = 0
    for year, quarter in wanted:
        if (year, quarter) not in existing:
            ReportingPeriod.ensure(year, quarter)
            created += 1
    return created
