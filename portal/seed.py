"""The real data from the source article, loaded once.

`fixtures/article_2023.json` holds every fact of the article that fits the model: the
resolution, the programme, the Steering Committee, the tasks the article reports on or
sets for the coming period, every project and industrial cluster it names, and the
2023 figures it states (recorded on Quý IV/2023). The article is a published review, so
the units' Quý IV/2023 reports are marked approved: those figures are official.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from indicators.models import IndicatorValue
from periods.models import ChangeSource, FigureChange, ReportStatus, UnitReport, UnitReportEvent
from projects.models import ProjectUpdate
from resolutions.models import Resolution, TaskUpdate
from reviews.article_2023 import load_article_narratives

ARTICLE_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "article_2023.json"
PUBLISHED_REASON = "Số liệu đã công bố trong bài viết “Nhìn lại một năm thực hiện Nghị quyết 29-NQ/TU…” (backancity.gov.vn)."


def article_data_loaded() -> bool:
    return Resolution.objects.filter(number="29-NQ/TU").exists()


@transaction.atomic
def load_article_data() -> bool:
    """Load the article's data unless it is already there. Returns whether it loaded."""
    if article_data_loaded():
        return False
    call_command("loaddata", str(ARTICLE_FIXTURE), verbosity=0)
    _record_history()
    _approve_published_reports()
    load_article_narratives()
    return True


def _record_history():
    """The loaded figures' first history rows: where each value came from (the fixture
    loads rows as they are, without the figure gate)."""
    rows = []
    for model in (IndicatorValue, ProjectUpdate, TaskUpdate):
        for figure in model.objects.all():
            rows += model.history_rows(None, figure, actor=None, source=ChangeSource.SEED)
    FigureChange.objects.bulk_create(rows)


def _approve_published_reports():
    now = timezone.now()
    pairs = set()
    for model in (IndicatorValue, ProjectUpdate, TaskUpdate):
        pairs.update(model.objects.values_list("unit_id", "period_id").distinct())
    for unit_id, period_id in sorted(pairs):
        report, created = UnitReport.objects.get_or_create(
            unit_id=unit_id,
            period_id=period_id,
            defaults={"status": ReportStatus.APPROVED, "submitted_at": now, "reviewed_at": now},
        )
        if created:
            UnitReportEvent.objects.create(
                report=report, from_status="", to_status=ReportStatus.APPROVED, actor=None, reason=PUBLISHED_REASON, at=now
            )
