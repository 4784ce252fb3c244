"""Display helpers of the reporting pages: a report status as a coloured badge."""

from django import template

from periods.models import ReportStatus

register = template.Library()

STATUS_CLASSES = {
    ReportStatus.DRAFT: "text-bg-secondary",
    ReportStatus.SUBMITTED: "text-bg-primary",
    ReportStatus.RETURNED: "text-bg-danger",
    ReportStatus.APPROVED: "text-bg-success",
}


@register.filter
def status_label(status):
    return ReportStatus(status or ReportStatus.DRAFT).label


@register.filter
def status_class(status):
    return STATUS_CLASSES[ReportStatus(status or ReportStatus.DRAFT)]


@register.filter
def field_invalid(field):
    """The CSS class a field's widget gets when it has errors."""
    return " is-invalid" if field.errors else ""


@register.filter
def input_value(field):
    """The text an input shows for a bound field: what the user typed, or the stored
    value as the widget formats it (dates dd/mm/yyyy, numbers 1.234,5); '' for none."""
    value = field.field.widget.format_value(field.value())
    if isinstance(value, list):  # a select formats its value as a list of choices
        value = value[0] if value else None
    return "" if value is None else str(value)
