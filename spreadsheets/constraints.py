"""A model's check constraints evaluated in Python, so that an import can validate
thousands of rows without one database round trip per row and constraint (Django's
`CheckConstraint.validate()` asks the database each time).

Only the lookups our models use are understood (exact, isnull, gt, gte, lt, lte, in, with
values or F() of the same row); for anything else the constraint is validated by Django
as usual. SQL's three-valued logic is kept: a comparison with NULL is unknown, and a
CHECK fails only when its condition is false. tests/spreadsheets/test_constraints.py
checks the evaluator against the database on every constraint of the figure models.
"""

import operator

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q

_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class Unsupported(Exception):
    pass


def _value_of(instance, name):
    if name == "pk":
        return instance.pk
    field = instance._meta.get_field(name)
    return getattr(instance, field.attname)


def _operand(instance, value):
    if isinstance(value, F):
        return _value_of(instance, value.name)
    if hasattr(value, "resolve_expression"):
        raise Unsupported
    return value


def _leaf(instance, lookup: str, value):
    name, _sep, kind = lookup.partition("__")
    kind = kind or "exact"
    if "__" in kind:
        raise Unsupported
    left = _value_of(instance, name)
    if kind == "isnull":
        return (left is None) == bool(value)
    if kind == "in":
        options = [_operand(instance, item) for item in value]
        if left is None:
            return None
        return left in options
    compare = _COMPARE.get(kind)
    if compare is None:
        raise Unsupported
    right = _operand(instance, value)
    if left is None or right is None:
        return None
    return compare(left, right)


def evaluate(instance, condition: Q):
    """True, False or None (unknown) for `condition` on `instance`."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(evaluate(instance, child))
        else:
            results.append(_leaf(instance, *child))
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    if condition.negated:
        result = None if result is None else not result
    return result


def check_constraints(instance, *, exclude=()) -> list[ValidationError]:
    """The violated check constraints of `instance`, as Django would report them; a
    constraint over a field in `exclude` (already in error) is not checked."""
    errors = []
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        if exclude and _fields_of(constraint.condition) & set(exclude):
            continue
        try:
            passed = evaluate(instance, constraint.condition) is not False
        except Unsupported:
            try:
                constraint.validate(type(instance), instance)
                passed = True
            except ValidationError:
                passed = False
        if not passed:
            errors.append(ValidationError(constraint.get_violation_error_message(), code="constraint"))
    return errors


def _fields_of(condition: Q) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _fields_of(child)
        else:
            lookup, value = child
            names.add(lookup.split("__", 1)[0])
            if isinstance(value, F):
                names.add(value.name)
    return names
