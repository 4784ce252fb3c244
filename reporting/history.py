"""A figure's change history as people read it: one line per save — who, when, from
where — with each changed field's old and new value formatted the Vietnamese way
(choices by their label, numbers 4.086, amounts in triệu đồng, dates dd/mm/yyyy)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from backancity.numbers import format_decimal, format_percent
from indicators.models import IndicatorValue
from periods.models import ChangeSource, FigureChange
from projects.models import ProjectUpdate

MILLION_FIELDS = {"allocated_capital", "disbursed_amount"}


@dataclass
class ChangedField:
    label: str
    old: str
    new: str


@dataclass
class Revision:
    version: int
    at: datetime.datetime
    by: str
    source: str
    fields: list[ChangedField] = field(default_factory=list)


def history_of(figure, *, indicator=None) -> list[Revision]:
    """Every save of `figure`, newest first (one query)."""
    if figure is None or figure.pk is None:
        return []
    changes = (
        FigureChange.objects.filter(content_type=ContentType.objects.get_for_model(type(figure)), object_id=figure.pk)
        .select_related("changed_by")
        .order_by("-version", "pk")
    )
    revisions = []
    for version, rows in groupby(changes, key=lambda change: change.version):
        rows = list(rows)
        first = rows[0]
        revisions.append(
            Revision(
                version=version,
                at=first.changed_at,
                by=str(first.changed_by) if first.changed_by_id else _("hệ thống"),
                source=ChangeSource(first.source).label if first.source in ChangeSource.values else first.source,
                fields=[
                    ChangedField(
                        label=_field_label(type(figure), row.field),
                        old=display(type(figure), row.field, row.old_value, indicator=indicator),
                        new=display(type(figure), row.field, row.new_value, indicator=indicator),
                    )
                    for row in rows
                ],
            )
        )
    return revisions


def _field_label(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def display(model, name, text, *, indicator=None) -> str:
    """A stored canonical value (FigureChange.old_value/new_value) as people read it."""
    if text is None or text == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(text, text))
    if model_field.get_internal_type() == "DateField":
        try:
            return datetime.date.fromisoformat(text).strftime("%d/%m/%Y")
        except ValueError:
            return text
    if model_field.get_internal_type() == "DecimalField":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        if model is ProjectUpdate and name in MILLION_FIELDS:
            return _("%(amount)s triệu đồng") % {"amount": format_decimal(number / 1_000_000)}
        if model is ProjectUpdate and name == "progress_percent":
            return format_percent(number)
        if model is IndicatorValue and name == "value" and indicator is not None:
            return indicator.format_value(number)
        return format_decimal(number)
    return text
