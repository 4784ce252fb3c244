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


def _attname(model, name):
    return model._meta.pk.attname if name == "pk" else model._meta.get_field(name).attname


def _operand(model, value):
    """A function of the instance giving the right-hand side of a comparison."""
    if isinstance(value, F):
        attname = _attname(model, value.name)
        return lambda instance: getattr(instance, attname)
    if hasattr(value, "resolve_expression"):
        raise Unsupported
    return lambda instance: value


def _leaf(model, lookup: str, value):
    name, _sep, kind = lookup.partition("__")
    kind = kind or "exact"
    if "__" in kind:
        raise Unsupported
    attname = _attname(model, name)
    if kind == "isnull":
        wanted = bool(value)
        return lambda instance: (getattr(instance, attname) is None) == wanted
    if kind == "in":
        options = [_operand(model, item) for item in value]

        def within(instance):
            left = getattr(instance, attname)
            return None if left is None else left in [option(instance) for option in options]

        return within
    compare = _COMPARE.get(kind)
    if compare is None:
        raise Unsupported
    right_of = _operand(model, value)

    def compared(instance):
        left, right = getattr(instance, attname), right_of(instance)
        return None if left is None or right is None else compare(left, right)

    return compared


def compile_condition(model, condition: Q):
    """`condition` as a function of an instance of `model` giving True, False or None
    (unknown); Unsupported when it uses what the evaluator does not understand."""
    parts = [compile_condition(model, child) if isinstance(child, Q) else _leaf(model, *child) for child in condition.children]
    is_and, negated = condition.connector == Q.AND, condition.negated

    def evaluated(instance):
        results = [part(instance) for part in parts]
        if is_and:
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        if negated:
            result = None if result is None else not result
        return result

    return evaluated


def evaluate(instance, condition: Q):
    """True, False or None (unknown) for `condition` on `instance`."""
    return compile_condition(type(instance), condition)(instance)


_CHECKS = {}


def _checks_of(model) -> list:
    """[(constraint, its fields, its compiled condition or None)] of `model`, once."""
    if model not in _CHECKS:
        checks = []
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                try:
                    compiled = compile_condition(model, constraint.condition)
                except Unsupported:
                    compiled = None
                checks.append((constraint, _fields_of(constraint.condition), compiled))
        _CHECKS[model] = checks
    return _CHECKS[model]


def check_constraints(instance, *, exclude=()) -> list[ValidationError]:
    """The violated check constraints of `instance`, as Django would report them; a
    constraint over a field in `exclude` (already in error) is not checked."""
    errors = []
    excluded = set(exclude)
    for constraint, names, compiled in _checks_of(type(instance)):
        if names & excluded:
            continue
        if compiled is not None:
            passed = compiled(instance) is not False
        else:
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
