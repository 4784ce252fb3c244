"""`ReportedFigure.bulk_write` refuses exactly what `save()` refuses, writes what it
writes, and keeps the same history. Each case runs both paths from the same state (the
save() path inside a rolled-back savepoint) and compares the outcome."""

import re
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from indicators.models import IndicatorValue, ValueKind
from periods.exceptions import PeriodLockedError, StaleFigureError
from periods.models import ChangeSource, FigureChange, ReportStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _state():
    values = sorted(IndicatorValue.objects.values_list("indicator__code", "value", "kind", "version"))
    codes = dict(IndicatorValue.objects.values_list("pk", "indicator__code"))
    history = sorted(
        tuple("" if item is None else item for item in (codes.get(object_id), *rest))
        for object_id, *rest in FigureChange.objects.values_list(
            "object_id", "field", "old_value", "new_value", "version", "source", "changed_by"
        )
    )
    return values, history


def _outcome(write):
    """(exception class, message) or None, and the database state after the write."""
    try:
        with transaction.atomic():
            write()
    except (StaleFigureError, PeriodLockedError) as exc:
        # The message names the time of the current value, to the minute.
        return (type(exc), re.sub(r"\d\d:\d\d \d\d/\d\d/\d{4}", "<lúc>", str(exc))), _state()
    return None, _state()


def _compare(make_figures, actor):
    """Run the figures through save() one by one, roll back, then through bulk_write."""
    sid = transaction.savepoint()
    by_save = _outcome(lambda: [figure.save(actor=actor, source=ChangeSource.IMPORT) for figure in make_figures()])
    transaction.savepoint_rollback(sid)
    by_bulk = _outcome(lambda: IndicatorValue.bulk_write(make_figures(), actor=actor, source=ChangeSource.IMPORT))
    return by_save, by_bulk


@pytest.fixture
def setting(ward, period, ward_officer):
    a = factories.make_indicator(responsible_unit=ward, code="a")
    b = factories.make_indicator(responsible_unit=ward, code="b")
    c = factories.make_indicator(responsible_unit=ward, code="c")
    factories.make_indicator_value(indicator=a, period=period, value="10", actor=ward_officer)
    factories.make_indicator_value(indicator=b, period=period, value="20", actor=ward_officer)
    return {"a": a, "b": b, "c": c}


def _loaded(code, period, **changes):
    figure = IndicatorValue.objects.get(indicator__code=code, period=period)
    for name, value in changes.items():
        setattr(figure, name, value)
    return figure


def _new(indicator, period, value):
    return IndicatorValue(indicator=indicator, period=period, unit=indicator.responsible_unit, value=Decimal(value))


CASES = {
    "changes and a creation": lambda s, p: [
        _loaded("a", p, value=Decimal("11")),
        _loaded("b", p, kind=ValueKind.OFFICIAL),
        _new(s["c"], p, "30"),
    ],
    "an unchanged figure": lambda s, p: [_loaded("a", p)],
    "a stale version": lambda s, p: [_loaded("a", p, value=Decimal("12"), version=0)],
    "a stale version after a good row": lambda s, p: [
        _loaded("b", p, value=Decimal("21")),
        _loaded("a", p, value=Decimal("1"), version=5),
    ],
    "a creation of an existing figure": lambda s, p: [_new(s["a"], p, "99")],
    "the same figure created twice": lambda s, p: [_new(s["c"], p, "1"), _new(s["c"], p, "2")],
    "a ratio from its parts": lambda s, p: [_loaded("a", p, numerator=Decimal(5837), denominator=Decimal(10000))],
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize(
    "status", [None, ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED, ReportStatus.APPROVED]
)
def test_bulk_write_refuses_and_writes_exactly_what_save_does(case, status, setting, ward, period, ward_officer):
    if status is not None:
        factories.set_report_status(ward, period, status)
    by_save, by_bulk = _compare(lambda: CASES[case](setting, period), ward_officer)
    assert by_bulk == by_save
    if status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        assert by_bulk[0][0] is PeriodLockedError


def test_a_lock_on_another_units_report_only_refuses_that_units_figures(setting, other_ward, period, ward_officer):
    factories.set_report_status(other_ward, period, ReportStatus.APPROVED)
    result = IndicatorValue.bulk_write([_loaded("a", period, value=Decimal("15"))], actor=ward_officer)
    assert [figure.version for figure in result.updated] == [2]


def test_history_names_the_actor_and_the_import_as_source(setting, period, ward_officer):
    figure = _loaded("a", period, value=Decimal("4086"))
    IndicatorValue.bulk_write([figure], actor=ward_officer, source=ChangeSource.IMPORT)
    change = FigureChange.objects.get(object_id=figure.pk, version=2)
    assert (change.field, change.old_value, change.new_value, change.changed_by, change.source) == (
        "value",
        "10",
        "4086",
        ward_officer,
        ChangeSource.IMPORT,
    )
    figure.refresh_from_db()
    assert figure.updated_by == ward_officer and figure.version == 2


def test_the_number_of_queries_does_not_grow_with_the_figures(ward, period, ward_officer, django_assert_num_queries):
    def run(count, offset):
        indicators = [factories.make_indicator(responsible_unit=ward, code=f"q{offset + n}") for n in range(count)]
        figures = [_new(indicator, period, "1") for indicator in indicators]
        IndicatorValue.bulk_write(figures, actor=ward_officer)
        loaded = list(IndicatorValue.objects.filter(indicator__in=indicators))
        for figure in loaded:
            figure.value = Decimal("2")
        return loaded

    small = run(3, 0)
    large = run(40, 100)
    with CaptureQueriesContext(connection) as small_queries:
        IndicatorValue.bulk_write(small, actor=ward_officer)
    assert len(small_queries.captured_queries) <= 7  # incl. opening missing reports as drafts
    with django_assert_num_queries(len(small_queries.captured_queries)):
        IndicatorValue.bulk_write(large, actor=ward_officer)
