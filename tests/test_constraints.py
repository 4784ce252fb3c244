"""The database itself refuses what must never hold, whatever path writes it."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from indicators.models import IndicatorTarget, IndicatorValue
from periods.models import ReportingPeriod, UnitReport
from projects.models import ProjectUpdate
from resolutions.models import Resolution, Task, TaskUpdate
from tests import factories
from units.models import OrganisationUnit

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def insert(model, **fields):
    """Insert bypassing the models' save() gates, to show the database alone refuses."""
    return model.objects.bulk_create([model(**fields)])[0]


def test_a_period_is_unique_per_year_and_quarter():
    factories.make_period(2024, 1)
    refused(lambda: ReportingPeriod.objects.create(year=2024, quarter=1, cut_off_date="2024-03-15", due_date="2024-03-20"))


def test_a_quarter_is_between_one_and_four_and_due_after_cut_off():
    refused(lambda: ReportingPeriod.objects.create(year=2024, quarter=5, cut_off_date="2024-03-15", due_date="2024-03-20"))
    refused(lambda: ReportingPeriod.objects.create(year=2024, quarter=2, cut_off_date="2024-06-20", due_date="2024-06-15"))


def test_a_unit_is_merged_only_when_retired_and_never_into_itself(ward, other_ward):
    ward.merged_into = other_ward
    refused(lambda: ward.save())
    ward.refresh_from_db()
    ward.retired_on = datetime.date(2025, 1, 1)
    ward.merged_into = ward
    refused(lambda: ward.save())


def test_a_merged_unit_keeps_its_reports(ward, other_ward, period):
    factories.set_report_status(ward, period, "approved")
    ward.retired_on = datetime.date(2025, 1, 1)
    ward.merged_into = other_ward
    ward.save()
    assert UnitReport.objects.filter(unit=ward).count() == 1
    assert OrganisationUnit.objects.active().filter(pk=ward.pk).count() == 0
    assert OrganisationUnit.objects.active_on(datetime.date(2024, 6, 1)).filter(pk=ward.pk).exists()


def test_an_officer_must_belong_to_a_unit():
    refused(lambda: User.objects.create(username="x", role=Role.OFFICER, unit=None))


def test_a_recurring_task_has_no_deadline_and_a_deadline_follows_the_start(ward):
    refused(lambda: factories.make_task(lead_unit=ward, is_recurring=True, deadline=datetime.date(2025, 1, 1)))
    refused(lambda: factories.make_task(lead_unit=ward, start_date=datetime.date(2025, 6, 1), deadline=datetime.date(2025, 1, 1)))


def test_a_task_code_is_unique_within_its_programme(ward):
    factories.make_task(lead_unit=ward, code="NV-1")
    refused(lambda: factories.make_task(lead_unit=ward, code="NV-1"))


def test_a_resolutions_vision_is_not_before_its_horizon():
    refused(
        lambda: Resolution.objects.create(
            number="1-NQ/TU", title="x", issuer="x", issued_on="2022-01-01", horizon_year=2045, vision_year=2030
        )
    )


def test_project_amounts_are_not_negative_and_years_in_order(ward):
    refused(lambda: factories.make_project(managing_unit=ward, total_investment=Decimal(-1)))
    refused(lambda: factories.make_project(managing_unit=ward, start_year=2026, end_year=2024))


def test_project_progress_is_between_0_and_100_and_disbursement_within_allocation(ward, period):
    project = factories.make_project(managing_unit=ward)
    refused(lambda: insert(ProjectUpdate, project=project, period=period, unit=ward, progress_percent=Decimal("100.5")))
    refused(
        lambda: insert(
            ProjectUpdate, project=project, period=period, unit=ward, allocated_capital=Decimal(10), disbursed_amount=Decimal(11)
        )
    )


def test_one_update_per_project_and_period(ward, period):
    project = factories.make_project(managing_unit=ward)
    insert(ProjectUpdate, project=project, period=period, unit=ward)
    refused(lambda: insert(ProjectUpdate, project=project, period=period, unit=ward))


def test_one_value_per_indicator_and_period(ward, period):
    indicator = factories.make_indicator(responsible_unit=ward)
    insert(IndicatorValue, indicator=indicator, period=period, unit=ward, value=1)
    refused(lambda: insert(IndicatorValue, indicator=indicator, period=period, unit=ward, value=2))


def test_a_ratio_has_both_parts_and_a_positive_denominator(ward, period):
    indicator = factories.make_indicator(responsible_unit=ward)
    refused(lambda: insert(IndicatorValue, indicator=indicator, period=period, unit=ward, value=1, numerator=1))
    refused(lambda: insert(IndicatorValue, indicator=indicator, period=period, unit=ward, value=1, numerator=1, denominator=0))


def test_one_target_per_indicator_and_year(ward):
    indicator = factories.make_indicator(responsible_unit=ward)
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=1)
    refused(lambda: IndicatorTarget.objects.create(indicator=indicator, year=2025, value=2))


def test_baseline_year_and_value_come_together(ward):
    refused(lambda: factories.make_indicator(responsible_unit=ward, baseline_year=2022))


def test_a_returned_report_has_a_reason(ward, period):
    refused(lambda: UnitReport.objects.create(unit=ward, period=period, status="returned", submitted_at="2024-09-01T00:00Z"))


def test_one_report_per_unit_and_period(ward, period):
    UnitReport.objects.create(unit=ward, period=period)
    refused(lambda: UnitReport.objects.create(unit=ward, period=period))


def test_only_a_done_task_has_a_completion_date(ward, period):
    task = factories.make_task(lead_unit=ward)
    refused(lambda: insert(TaskUpdate, task=task, period=period, unit=ward, status="in_progress", completed_on="2024-08-01"))


def test_catalogue_rows_in_use_cannot_be_deleted(ward, period):
    task = factories.make_task(lead_unit=ward)
    factories.make_task_update(task=task, period=period)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Task.objects.filter(pk=task.pk).delete()
    with pytest.raises(ProtectedError):
        ward.delete()
