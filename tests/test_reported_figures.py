"""The single write gate of reported figures: versions, locks and history."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from indicators.models import IndicatorValue, ValueKind
from periods.exceptions import PeriodLockedError, StaleFigureError
from periods.models import ChangeSource, FigureChange, ReportStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(ward):
    return factories.make_indicator(responsible_unit=ward, name="Số hộ kinh doanh")


def test_every_change_keeps_who_when_old_and_new(indicator, period, ward_officer):
    figure = factories.make_indicator_value(indicator=indicator, period=period, value="4000", actor=ward_officer)
    figure.value = Decimal("4086")
    figure.save(actor=ward_officer)
    changes = list(figure.changes.filter(field="value").order_by("version"))
    assert [(c.old_value, c.new_value, c.version) for c in changes] == [(None, "4000", 1), ("4000", "4086", 2)]
    assert changes[-1].changed_by == ward_officer
    assert changes[-1].source == ChangeSource.FORM


def test_an_estimate_replaced_by_the_official_figure_keeps_both(indicator, period, ward_officer):
    figure = factories.make_indicator_value(indicator=indicator, period=period, value="4000", kind=ValueKind.ESTIMATE)
    figure.value, figure.kind = Decimal("4086"), ValueKind.OFFICIAL
    figure.save(actor=ward_officer)
    history = {(c.field, c.old_value, c.new_value) for c in figure.changes.all()}
    assert ("kind", "estimate", "official") in history
    assert ("value", "4000", "4086") in history


def test_a_stale_write_is_refused_and_names_the_current_value(indicator, period, ward_officer):
    factories.make_indicator_value(indicator=indicator, period=period, value="100")
    first = IndicatorValue.objects.get()
    second = IndicatorValue.objects.get()
    first.value = Decimal("4086")
    first.save(actor=ward_officer)
    second.value = Decimal("999")
    with pytest.raises(StaleFigureError) as error:
        second.save()
    assert "4.086" in str(error.value)
    assert IndicatorValue.objects.get().value == Decimal("4086")


def test_a_second_creation_of_the_same_figure_is_refused_as_stale(indicator, period):
    factories.make_indicator_value(indicator=indicator, period=period, value="1")
    with pytest.raises(StaleFigureError):
        factories.make_indicator_value(indicator=indicator, period=period, value="2")
    assert IndicatorValue.objects.get().value == Decimal("1")


@pytest.mark.parametrize("status", [ReportStatus.APPROVED, ReportStatus.SUBMITTED])
def test_a_locked_or_submitted_report_refuses_changes(indicator, period, ward, status):
    figure = factories.make_indicator_value(indicator=indicator, period=period, value="1")
    factories.set_report_status(ward, period, status)
    figure.value = Decimal("2")
    with pytest.raises(PeriodLockedError):
        figure.save()
    assert IndicatorValue.objects.get().value == Decimal("1")
    assert FigureChange.objects.filter(field="value").count() == 1


def test_a_returned_report_accepts_changes(indicator, period, ward):
    figure = factories.make_indicator_value(indicator=indicator, period=period, value="1")
    factories.set_report_status(ward, period, ReportStatus.RETURNED)
    figure.value = Decimal("2")
    figure.save()
    assert IndicatorValue.objects.get().value == Decimal("2")


def test_an_unchanged_save_writes_no_history_and_keeps_the_version(indicator, period):
    figure = factories.make_indicator_value(indicator=indicator, period=period, value="1")
    figure.save()
    assert figure.version == 1
    assert figure.changes.count() == len([f for f in IndicatorValue.TRACKED_FIELDS if getattr(figure, f) not in (None, "")])


def test_a_ratio_is_computed_from_its_parts(indicator, period):
    figure = factories.make_indicator_value(
        indicator=indicator, period=period, value="0", numerator=Decimal(5837), denominator=Decimal(10000)
    )
    assert figure.value == Decimal("58.37")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_fifty_concurrent_saves_of_one_stale_figure_overwrite_nothing(ward, period):
    """50 editors load the same version, then all save at once: exactly one is written,
    the 49 others are refused with the current value, and the history shows one change."""
    indicator = factories.make_indicator(responsible_unit=ward)
    figure = factories.make_indicator_value(indicator=indicator, period=period, value="0")
    writers = 50
    loaded = threading.Barrier(writers)
    outcomes = []

    def edit(n):
        from django.db import connection as thread_connection

        try:
            mine = IndicatorValue.objects.get(pk=figure.pk)
            loaded.wait(timeout=30)
            mine.value = Decimal(n)
            mine.save()
            outcomes.append(("saved", n))
        except StaleFigureError:
            outcomes.append(("refused", n))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(1, writers + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = [n for outcome, n in outcomes if outcome == "saved"]
    assert len(outcomes) == writers
    assert len(saved) == 1
    final = IndicatorValue.objects.get(pk=figure.pk)
    assert (final.value, final.version) == (Decimal(saved[0]), 2)
    assert list(final.changes.filter(field="value").order_by("version").values_list("new_value", flat=True)) == [
        "0",
        str(saved[0]),
    ]
