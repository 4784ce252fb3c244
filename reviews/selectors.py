"""Reads of the annual review pages, each in a fixed number of queries."""

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import RUNNING_STATUSES, JobStatus, PartNarrative, PartNarrativeRevision, ReviewJob

MARKER_FIELDS = ("last_figure_change_id", "last_report_event_id", "last_narrative_revision_id")


def review_years() -> list[int]:
    """Years a review can be built for, newest first: the portal's first year to now."""
    return list(range(timezone.localdate().year, settings.PORTAL_FIRST_YEAR - 1, -1))


def years_overview() -> list[dict]:
    """Per year: how many versions, the latest finished one, whether one is being built.
    One query."""
    rows = {
        row["year"]: row
        for row in ReviewJob.objects.values("year").annotate(
            versions=Count("pk"),
            latest_done=Max("version", filter=Q(status=JobStatus.DONE)),
            running=Count("pk", filter=Q(status__in=RUNNING_STATUSES)),
        )
    }
    return [
        {
            "year": year,
            "versions": rows.get(year, {}).get("versions", 0),
            "latest_done": rows.get(year, {}).get("latest_done"),
            "running": rows.get(year, {}).get("running", 0),
        }
        for year in review_years()
    ]


def jobs_for_year(year: int) -> list[ReviewJob]:
    return list(ReviewJob.objects.for_year(year).for_listing().order_by("-version"))


def changed_since(job: ReviewJob | None, markers: dict) -> bool:
    """Whether figures, approvals or narratives changed after `job` was composed."""
    if job is None or job.content_sha256 == "":
        return False
    return any((markers[name] or 0) > (getattr(job, name) or 0) for name in MARKER_FIELDS)


def narratives_for_year(year: int) -> dict:
    return {n.part: n for n in PartNarrative.objects.filter(year=year).select_related("updated_by")}


def narrative_history(narrative: PartNarrative | None, limit: int = 10) -> list[PartNarrativeRevision]:
    if narrative is None:
        return []
    return list(narrative.revisions.select_related("written_by").order_by("-version")[:limit])
