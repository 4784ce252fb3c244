"""The base classes of the portal's django-import-export resources.

The package's defaults are unsafe for this portal, and these classes change them once
for every resource (units/resources.py, resolutions/resources.py, projects/resources.py,
indicators/resources.py):

- all or nothing: an import runs in one transaction and rolls back when any row is
  invalid (the package by default saves the valid rows and skips the invalid ones);
- model validation runs (`full_clean`, constraints), unchanged rows are skipped and
  counted;
- headers are matched whatever their case or spacing, a missing key column is reported
  in Vietnamese before any row is read, and errors name the Excel row and the column;
- text that could run as a formula is neutralised on export.

`FigureResource` imports reported figures (indicator values, project updates, task
updates) set-wise: one query loads every figure the file names, checks (scope, lock,
version, constraints) run in Python, and `ReportedFigure.bulk_write` writes everything
through the same lock/version/history rules as `save()`.
"""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.base import ModelState
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error, Result
from import_export.widgets import ManyToManyWidget

from periods.exceptions import StaleFigureError
from periods.models import ChangeSource, UnitReport

from .constraints import check_constraints
from .widgets import (
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    PeriodWidget,
    TextWidget,
    is_empty,
    neutralise,
)

# Column names are the files' vocabulary, the same whatever the interface language, so
# that a file exported by one person imports for another: plain Vietnamese, untranslated.
VERSION_COLUMN = "Phiên bản (không sửa)"


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (a key column is missing, …)."""


def column_key(text) -> str:
    return " ".join(str(text or "").replace("\ufeff", "").split()).casefold()


class PortalResult(Result):
    def row_errors(self):
        # The Excel row number, not the position among the data rows.
        return [(getattr(row, "number", i + 1), row.errors) for i, row in enumerate(self.rows) if row.errors]


class PortalResource(resources.ModelResource):
    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._row_numbers = None
        self._import_fields = None
        self._fields_read = {}

    def get_import_fields(self):
        # Asked for on every row by the package; the answer never changes.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    @classmethod
    def get_result_class(cls):
        return PortalResult

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """Introspected fields (the small catalogues' resources): the model's Vietnamese
        verbose name as header, and the portal's widgets."""
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = "ID" if field_name == "id" else capfirst(str(django_field.verbose_name))
        if getattr(django_field, "choices", None):
            field.widget = ChoiceWidget(django_field.choices)
        elif isinstance(django_field, models.DateField) and not isinstance(django_field, models.DateTimeField):
            field.widget = DateWidget()
        elif isinstance(django_field, models.DecimalField):
            field.widget = DecimalWidget()
        elif isinstance(django_field, models.BooleanField):
            field.widget = BooleanWidget()
        elif isinstance(django_field, models.IntegerField) and not django_field.is_relation:
            field.widget = IntegerWidget()
        elif isinstance(django_field, models.CharField | models.TextField):
            field.widget = TextWidget(max_length=django_field.max_length)
        return field

    # -- headers and row numbers -----------------------------------------------------
    def import_columns(self) -> dict[str, str]:
        """{normalised header: column name} of every column the resource reads."""
        return {column_key(field.column_name): field.column_name for field in self.get_import_fields() if not field.readonly}

    def required_columns(self) -> list[str]:
        return [self.fields[name].column_name for name in self.get_import_id_fields()]

    def prepare_dataset(self, dataset) -> str | None:
        """Rename headers to the resource's spelling; the Vietnamese problem, if any."""
        known = {column_key(field.column_name): field.column_name for field in self.fields.values()}
        if dataset.headers:
            dataset.headers = [known.get(column_key(header), header) for header in dataset.headers]
        headers = set(dataset.headers or [])
        missing = [column for column in self.required_columns() if column not in headers]
        if missing:
            return _("Tệp thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu tải từ cổng hoặc tệp đã xuất ra.") % {
                "columns": ", ".join(f"“{column}”" for column in missing)
            }
        if not any(column_key(header) in self.import_columns() for header in headers - set(missing)):
            return _("Tệp không có cột dữ liệu nào mà cổng đọc được.")
        return None

    def excel_row(self, number: int) -> int:
        if self._row_numbers and 0 < number <= len(self._row_numbers):
            return self._row_numbers[number - 1]
        return number + 1  # the header is row 1

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        """As the package's, but one invalid row rolls back every row (whatever the
        caller asked), and a file without its key columns is refused before any row."""
        self._row_numbers = getattr(dataset, "row_numbers", None)
        problem = self.prepare_dataset(dataset)
        if problem:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            result.append_base_error(Error(ImportFileError(problem)))
            if raise_errors:
                raise ImportFileError(problem)
            return result
        result = super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )
        for invalid in result.invalid_rows:
            invalid.number = self.excel_row(invalid.number)
        for error_row in result.error_rows:
            error_row.number = self.excel_row(error_row.number)
        if not dry_run and result.has_validation_errors():
            # A real import that was rolled back must say so to callers that only look
            # at has_errors() (the package's `manage.py import`, the admin's confirm step).
            result.append_base_error(Error(ImportFileError(self.invalid_summary(result))))
        return result

    def invalid_summary(self, result) -> str:
        lines = [
            _("Không lưu dòng nào: %(count)d dòng có lỗi.") % {"count": len(result.invalid_rows)},
        ]
        for invalid in result.invalid_rows[:20]:
            for column, messages in invalid.error_dict.items():
                where = _("Dòng %(row)d") % {"row": invalid.number}
                if column != NON_FIELD_ERRORS:
                    where += _(", cột “%(column)s”") % {"column": column}
                lines.extend(f"{where}: {message}" for message in messages)
        return "\n".join(lines)

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.number = self.excel_row(kwargs.get("row_number", 0))
        return row_result

    def fields_read_from(self, columns: tuple) -> list:
        """The fields a row with these columns sets, worked out once per set of columns."""
        if columns not in self._fields_read:
            self._fields_read[columns] = [
                field
                for field in self.get_import_fields()
                if field.attribute
                and not field.readonly
                and field.column_name in columns
                and not isinstance(field.widget, ManyToManyWidget)  # save_m2m() sets those
            ]
        return self._fields_read[columns]

    def import_instance(self, instance, row, **kwargs):
        """As the package's, without asking every field of every row whether it is read
        from the file (and formatting a debug message for each one that is not, whatever
        the log level)."""
        errors = {}
        for field in self.fields_read_from(tuple(row)):
            try:
                field.save(instance, row, **kwargs)
            except ValueError as exc:
                errors[field.attribute] = ValidationError(force_str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    # -- validation --------------------------------------------------------------------
    def column_for(self, name: str) -> str:
        if name == NON_FIELD_ERRORS:
            return name
        for field in self.fields.values():
            if field.attribute in (name, f"{name}_id"):
                return field.column_name
        try:
            return str(self._meta.model._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:
            return name

    def with_column_names(self, error: ValidationError) -> ValidationError:
        if not hasattr(error, "error_dict"):
            return error
        merged = {}
        for name, errors in error.error_dict.items():
            merged.setdefault(self.column_for(name), []).extend(errors)
        return ValidationError(merged)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            raise self.with_column_names(exc) from None

    # -- export --------------------------------------------------------------------------
    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return neutralise(value) if isinstance(value, str) else value


def snapshot(instance):
    """A detached copy of a just-loaded row (a fraction of the cost of copy.copy)."""
    copied = instance.__class__.__new__(instance.__class__)
    copied.__dict__.update(instance.__dict__)
    copied._state = ModelState()
    copied._state.adding, copied._state.db = False, instance._state.db
    return copied


class FigureLoader(BaseInstanceLoader):
    """Every figure the file names, read in one query (with what the checks need)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.existing = resource.load_existing(dataset)

    def get_instance(self, row):
        key = self.resource.row_key(row)
        return self.existing.get(key) if key is not None else None


class FigureResource(PortalResource):
    """Reported figures, imported set-wise under the rules of `ReportedFigure.save()`.

    Subclasses declare their key (`import_id_fields`), the columns an officer fills
    (`data_fields`), and how a new figure's unit follows from the row (`unit_of`).
    """

    period = fields.Field(attribute="period", column_name="Kỳ báo cáo", widget=PeriodWidget())
    version = fields.Field(attribute="version", column_name=VERSION_COLUMN, widget=IntegerWidget())

    #: the columns an officer fills in; a new row with all of them empty is left out
    data_fields: tuple[str, ...] = ()

    class Meta:
        use_bulk = True  # no savepoint per row; rows are written together at the end
        skip_diff = True  # the old → new of each changed field is kept by the loader
        store_instance = True
        instance_loader_class = FigureLoader

    def __init__(self, *, user=None, unit=None, period=None, **kwargs):
        """`unit` and `period` restrict the import to one unit's report for one quarter
        (the officers' template); without them (admin, commands) any row may be
        imported, still under the lock and version rules."""
        super().__init__(user=user, **kwargs)
        self.scope_unit = unit
        self.scope_period = period
        self.pending = []
        self.seen_keys = {}
        self.reports = None
        self.has_version_column = False
        self.file_periods = set()
        self._current_row = 0
        self._not_cleaned = None

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural).capitalize()

    # -- keys and loading ------------------------------------------------------------------
    def row_key(self, row):
        """The figure's natural key as a tuple of ids, or None when a key cell is wrong
        (the row then fails validation with the cell's own message)."""
        cells = tuple(row.values())
        if not hasattr(self, "_keys_by_cells"):
            self._keys_by_cells = {}
        if cells not in self._keys_by_cells:
            self._keys_by_cells[cells] = self._row_key(row)
        return self._keys_by_cells[cells]

    def _row_key(self, row):
        key = []
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                value = field.clean(row)
            except (ValueError, KeyError):
                return None
            if value is None:
                return None
            key.append(value.pk)
        return tuple(key)

    def existing_queryset(self):
        # No select_related: the rows' indicator/period/... come from the widgets' caches,
        # and who last changed a figure is only needed for a stale message (rare).
        return self._meta.model._base_manager.all()

    def load_existing(self, dataset) -> dict:
        self.has_version_column = self.fields["version"].column_name in (dataset.headers or [])
        keys = set()
        for values in dataset:
            key = self.row_key(dict(zip(dataset.headers, values, strict=False)))
            if key is not None:
                keys.add(key)
        self._keys = keys
        if not keys:
            return {}
        names = list(self.get_import_id_fields())
        self.file_periods = {key[names.index("period")] for key in keys}
        lookups = {f"{name}_id__in": {key[index] for key in keys} for index, name in enumerate(names)}
        existing = {}
        for figure in self.existing_queryset().filter(**lookups):
            key = tuple(getattr(figure, f"{name}_id") for name in names)
            if key in keys:
                figure._db = snapshot(figure)  # the row as stored, for old → new and stale messages
                existing[key] = figure
        return existing

    def load_reports(self):
        """The reports of the periods the file names (one query), for the lock check."""
        periods = {self.scope_period.pk} if self.scope_period is not None else self.file_periods
        reports = UnitReport.objects.select_related("unit", "period").filter(period_id__in=periods)
        if self.scope_unit is not None:
            reports = reports.filter(unit=self.scope_unit)
        return {(report.unit_id, report.period_id): report for report in reports}

    # -- one row -----------------------------------------------------------------------------
    def unit_of(self, instance):
        """The unit that reports a new figure."""
        raise NotImplementedError

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            self.assign_unit(instance)

    def assign_unit(self, instance) -> None:
        if instance.pk is None and not instance.unit_id:
            unit = self.unit_of(instance)
            if unit is not None:
                instance.unit = unit

    def is_blank(self, instance) -> bool:
        return all(is_empty(getattr(instance, name)) for name in self.data_fields)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if instance.pk is None:
            instance._blank = self.is_blank(instance)
            return instance._blank
        instance.derive_fields()
        return not type(instance).tracked_changes(instance._db, instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        model = type(instance)
        for name in self.get_import_id_fields():
            if name not in errors and getattr(instance, f"{name}_id") is None:
                errors[name] = [ValidationError(_("Ô này không được để trống."), code="required")]
        if any(name in errors for name in self.get_import_id_fields()):
            raise self.with_column_names(ValidationError(errors))
        instance.derive_fields()
        try:
            instance.clean_fields(exclude=self.not_cleaned(model) | errors.keys())
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not errors:
            try:
                instance.clean()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        constraint_errors = check_constraints(instance, exclude=errors.keys())
        if constraint_errors:
            errors.setdefault(NON_FIELD_ERRORS, []).extend(constraint_errors)
        rule_errors = self.figure_rule_errors(instance)
        if rule_errors:
            errors.setdefault(NON_FIELD_ERRORS, []).extend(rule_errors)
        if errors:
            raise self.with_column_names(ValidationError(errors))

    def not_cleaned(self, model) -> set[str]:
        """The fields `clean_fields()` leaves alone: those the file does not set, the
        relations (resolved from loaded rows already) and the version (checked below)."""
        if self._not_cleaned is None:
            imported = {field.attribute for field in self.get_import_fields() if not field.readonly}
            self._not_cleaned = {f.name for f in model._meta.concrete_fields if f.is_relation or f.name not in imported}
            self._not_cleaned.add("version")
        return self._not_cleaned

    def figure_rule_errors(self, instance) -> list[str]:
        """Who may write this figure, and may it still be written: the checks a form
        makes, in the words a form uses."""
        problems = []
        if self.scope_period is not None and instance.period_id and instance.period_id != self.scope_period.pk:
            problems.append(
                _("Dòng này thuộc %(row)s, nhưng tệp đang được nhập cho %(period)s.")
                % {"row": instance.period.label, "period": self.scope_period.label}
            )
        if self.scope_unit is not None and instance.unit_id and instance.unit_id != self.scope_unit.pk:
            problems.append(
                _("Số liệu này do %(owner)s báo cáo; bạn chỉ nhập được số liệu của %(unit)s.")
                % {"owner": instance.unit.name, "unit": self.scope_unit.name}
            )
        problems.extend(self.ownership_errors(instance))
        key = tuple(getattr(instance, f"{name}_id") for name in self.get_import_id_fields())
        if key in self.seen_keys:
            problems.append(_("Trùng với dòng %(row)d của tệp.") % {"row": self.seen_keys[key]})
        else:
            self.seen_keys[key] = self._current_row
        if self.reports is None:
            self.reports = self.load_reports()
        report = self.reports.get((instance.unit_id, instance.period_id))
        if report is not None and not report.accepts_changes:
            problems.append(report.lock_message())
        if instance.pk is not None:
            if not self.has_version_column:
                problems.append(
                    _("Tệp thiếu cột “%(column)s” nên không biết bạn đã sửa trên số liệu nào; hãy tải tệp mới từ cổng.")
                    % {"column": self.fields["version"].column_name}
                )
            elif instance.version != instance._db.version:
                problems.append(str(StaleFigureError(instance._db)))
        return problems

    def ownership_errors(self, instance) -> list[str]:
        """Domain rules on who reports the figure (e.g. a task's lead or supporting unit)."""
        return []

    def import_row(self, row, instance_loader, **kwargs):
        self._current_row = self.excel_row(kwargs.get("row_number", 0))
        return super().import_row(row, instance_loader, **kwargs)

    # -- writing ----------------------------------------------------------------------------
    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        self.pending.append(instance)

    def after_import(self, dataset, result, **kwargs):
        """Everything valid: write it all through the bulk gate (in the import's
        transaction). A dry run writes nothing: the preview is computed, not tried."""
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors() or not self.pending:
            return
        self._meta.model.bulk_write(self.pending, actor=kwargs.get("user") or self.user, source=ChangeSource.IMPORT)

    # -- presentation -------------------------------------------------------------------------
    def display(self, name: str, value) -> str:
        """A field value as the preview shows it (4.086 ; 58,37 ; 07/03/2025 ; labels)."""
        import datetime
        from decimal import Decimal

        from backancity.numbers import format_decimal

        for field in self.fields.values():
            if field.attribute == name:
                if not isinstance(field.widget, TextWidget):
                    value = field.widget.render(value)
                break
        if value is None or value == "":
            return ""
        if isinstance(value, Decimal):
            return format_decimal(value)
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return str(value)

    def changes_of(self, instance) -> list[tuple[str, str, str]]:
        """[(column, old, new)] of a changed or new figure, for the preview."""
        old = getattr(instance, "_db", None)
        rows = []
        for name in type(instance).TRACKED_FIELDS:
            before = getattr(old, name) if old is not None else None
            after = getattr(instance, name)
            if self.display(name, before) != self.display(name, after):
                rows.append((self.column_for(name), self.display(name, before), self.display(name, after)))
        return rows


def catalogue_resource(model):
    """A resource for a small catalogue (resolutions, fields, targets…): every model
    field, Vietnamese headers, the portal's widgets and all-or-nothing import."""
    return resources.modelresource_factory(
        model, resource_class=PortalResource, meta_options={"name": capfirst(str(model._meta.verbose_name_plural))}
    )
