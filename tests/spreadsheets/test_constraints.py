"""The Python evaluation of check constraints (used by set-wise imports) agrees with
the database's on every constraint of the imported models, NULLs included."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint

from indicators.models import IndicatorValue
from projects.models import Project, ProjectUpdate
from resolutions.models import Task, TaskUpdate
from spreadsheets.constraints import evaluate
from units.models import OrganisationUnit

pytestmark = pytest.mark.django_db

SAMPLES = {
    IndicatorValue: {"numerator": [None, Decimal(-1), Decimal(5)], "denominator": [None, Decimal(0), Decimal(10)]},
    ProjectUpdate: {
        "progress_percent": [None, Decimal(-1), Decimal(50), Decimal(101)],
        "allocated_capital": [None, Decimal(100)],
        "disbursed_amount": [None, Decimal(50), Decimal(150), Decimal(-5)],
    },
    TaskUpdate: {"status": ["done", "in_progress"], "completed_on": [None, "2024-08-15"]},
    Project: {
        "total_investment": [None, Decimal(-1), Decimal(5)],
        "start_year": [None, 1980, 2020],
        "end_year": [None, 2019, 2025],
    },
    Task: {"is_recurring": [True, False], "deadline": [None, "2024-01-01"], "start_date": [None, "2024-06-01"]},
    OrganisationUnit: {"retired_on": [None, "2024-01-01"], "active_from": [None, "2024-01-01", "2023-01-01"]},
}


def _cases():
    for model, fields in SAMPLES.items():
        names = list(fields)
        for values in itertools.product(*(fields[name] for name in names)):
            yield model, dict(zip(names, values, strict=True))


@pytest.mark.parametrize(("model", "values"), list(_cases()), ids=lambda v: getattr(v, "__name__", None) or str(v))
def test_python_and_database_agree_on_every_check_constraint(model, values):
    instance = model(**values)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        try:
            constraint.validate(model, instance)
            database_passes = True
        except ValidationError:
            database_passes = False
        assert (evaluate(instance, constraint.condition) is not False) == database_passes, constraint.name
