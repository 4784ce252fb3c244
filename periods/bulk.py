"""`ReportedFigure.save()` for many figures at once.

An import of thousands of figures cannot afford a dozen queries per row, but it must not
get around the rules either. `bulk_write` applies the same rules set-wise, in a handful
of queries per thousand figures instead of a dozen per figure:

- text is normalised (NFC, no control characters) as the pre-save signal does;
- the (unit, period) reports involved are opened as drafts if missing, then locked
  (`select_for_update`); a figure whose report is submitted or approved is refused with
  `PeriodLockedError`;
- the figures being changed are locked and their `version` compared with the one the
  writer loaded; a mismatch is refused with `StaleFigureError` naming the current value;
- a new figure whose natural key (e.g. indicator + period) already exists is refused as
  stale, as `save()` does after its unique clash;
- unchanged figures get no new version and no history; changed ones get version + 1, the
  actor and time stamped, and one `FigureChange` per changed field with the given source.

Figures are checked in the order given and the first refusal is raised, as a loop of
`save()` calls would; the caller's transaction then writes nothing. Tests compare the two
paths case by case (tests/spreadsheets/test_bulk_write.py).
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone

from backancity.text import normalise_instance_text

from .exceptions import PeriodLockedError, StaleFigureError
from .models import FigureChange, UnitReport

BATCH = 1000


@dataclass
class BulkWriteResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


def natural_key(model) -> tuple[str, ...]:
    """The fields of the figure's per-period unique constraint (e.g. indicator, period)."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and "period" in constraint.fields:
            return tuple(constraint.fields)
    raise ValueError(f"{model.__name__} has no per-period unique constraint")


def _key_of(figure, names) -> tuple:
    return tuple(getattr(figure, f"{name}_id") for name in names)


def bulk_write(model, figures, *, actor, source) -> BulkWriteResult:
    figures = list(figures)
    result = BulkWriteResult()
    if not figures:
        return result
    user = actor if actor is not None and actor.is_authenticated else None
    names = natural_key(model)
    with transaction.atomic():
        for figure in figures:
            normalise_instance_text(model, figure)
            figure.derive_fields()

        # 1. The reports of every (unit, period) involved — opened as drafts where a unit
        #    has none yet, as save() does — locked against a concurrent submission or
        #    approval.
        pairs = {(figure.unit_id, figure.period_id) for figure in figures}
        UnitReport.objects.bulk_create(
            [UnitReport(unit_id=unit, period_id=period) for unit, period in pairs], ignore_conflicts=True
        )
        reports = {
            (report.unit_id, report.period_id): report
            for report in UnitReport.objects.select_for_update().filter(
                unit_id__in={unit for unit, _period in pairs}, period_id__in={period for _unit, period in pairs}
            )
        }

        # 2. The current rows of the figures being changed, locked, and the rows that
        #    already hold the natural key of a figure being created.
        # Plain values, not model instances: only the version and the tracked fields
        # are compared (the refusal message re-reads the row with what it shows).
        current = {
            row["pk"]: SimpleNamespace(**row)
            for row in model._base_manager.select_for_update()
            .filter(pk__in=[figure.pk for figure in figures if figure.pk is not None])
            .values("pk", "version", *model.TRACKED_FIELDS)
        }
        adds = [figure for figure in figures if figure.pk is None]
        taken = {}
        if adds:
            first = names[0]
            candidates = model._base_manager.filter(
                **{f"{first}_id__in": {getattr(f, f"{first}_id") for f in adds}},
                period_id__in={f.period_id for f in adds},
            )
            taken = {_key_of(row, names): row for row in candidates}

        # 3. Each figure in turn, as a loop of save() calls would see it.
        now = timezone.now()
        changed = []
        history = []
        for figure in figures:
            report = reports.get((figure.unit_id, figure.period_id))
            if report is not None and not report.accepts_changes:
                raise PeriodLockedError(report)
            if figure.pk is None:
                key = _key_of(figure, names)
                if key in taken:
                    holder = taken[key]
                    # Created earlier in this very batch, or already in the database.
                    raise StaleFigureError(holder if holder.pk is None else _with_relations(model, holder))
                figure.version = 1
                figure.updated_at, figure.updated_by = now, user
                taken[key] = figure
                result.created.append(figure)
                continue
            old = current.get(figure.pk)
            if old is None:
                raise model.DoesNotExist(f"{model.__name__} {figure.pk} no longer exists")
            if old.version != figure.version:
                raise StaleFigureError(_with_relations(model, old))
            changes = model.tracked_changes(old, figure)
            if not changes:
                result.unchanged.append(figure)
                continue
            figure.version = old.version + 1
            figure.updated_at, figure.updated_by = now, user
            changed.append((changes, figure))
            result.updated.append(figure)

        # 4. Write: new rows, changed rows, and their history.
        if result.created:
            try:
                with transaction.atomic():
                    insert_rows(model, result.created)
            except IntegrityError:
                # Someone created one of these figures after step 2.
                for figure in result.created:
                    existing = figure.find_existing()
                    if existing is not None:
                        raise StaleFigureError(existing) from None
                raise
            for figure in result.created:
                figure._state.adding = False
                history.extend(_history(model, model.tracked_changes(None, figure), figure, user, source))
        if changed:
            fields = [*model.TRACKED_FIELDS, "version", "updated_at", "updated_by"]
            update_rows(model, [figure for _changes, figure in changed], fields)
            for changes, figure in changed:
                history.extend(_history(model, changes, figure, user, source))
        insert_history(history)
    return result


HISTORY_FIELDS = (
    "content_type",
    "object_id",
    "unit",
    "period",
    "field",
    "old_value",
    "new_value",
    "version",
    "changed_by",
    "changed_at",
    "source",
)


def _history(model, changes, new, user, source) -> list[tuple]:
    """The FigureChange rows of `model.history_rows()` for `changes` (from
    `model.tracked_changes`), as plain tuples: building tens of thousands of model
    instances costs more than the insert itself."""
    content_type_id = ContentType.objects.get_for_model(model).pk
    user_id = user.pk if user is not None else None
    return [
        (content_type_id, new.pk, new.unit_id, new.period_id, name, before, after, new.version, user_id, new.updated_at, source)
        for name, before, after in changes
    ]


def insert_history(rows: list[tuple]) -> None:
    connection = connections[router.db_for_write(FigureChange)]
    quote = connection.ops.quote_name
    fields = [FigureChange._meta.get_field(name) for name in HISTORY_FIELDS]
    columns = ", ".join(quote(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    statement = f"INSERT INTO {quote(FigureChange._meta.db_table)} ({columns}) VALUES "
    if connection.vendor == "postgresql" and rows:
        _copy_history(connection, columns, rows)
        return
    # Ids, texts and None go to the driver as they are; only the time needs the
    # backend's adaptation, and a whole import shares one time.
    at = fields.index(FigureChange._meta.get_field("changed_at"))
    adapted = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            params = []
            for row in rows[start : start + BATCH]:
                row = list(row)
                if row[at] not in adapted:
                    adapted[row[at]] = fields[at].get_db_prep_save(row[at], connection)
                row[at] = adapted[row[at]]
                params.extend(row)
            cursor.execute(statement + ", ".join([row_sql] * (len(params) // len(fields))), params)


def insert_rows(model, figures) -> None:
    """INSERT … RETURNING id with the values as they are (PostgreSQL); Django's
    `bulk_create` elsewhere. Django spends most of a large bulk_create preparing each
    value in Python; psycopg2 adapts Python values itself."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create(figures, batch_size=BATCH)
        return
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(quote(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {{rows}} RETURNING {quote(model._meta.pk.column)}"
    with connection.cursor() as cursor:
        for start in range(0, len(figures), BATCH):
            batch = figures[start : start + BATCH]
            params = [getattr(figure, field.attname) for figure in batch for field in fields]
            cursor.execute(statement.format(rows=", ".join([row_sql] * len(batch))), params)
            for figure, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                figure.pk = pk


def update_rows(model, figures, names) -> None:
    """UPDATE … FROM (VALUES …): one statement per few hundred rows. Django's
    `bulk_update` builds a CASE expression per field and row in Python, which costs
    seconds for ten thousand rows; this costs milliseconds. Other databases fall back
    to `bulk_update`."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in ("postgresql", "sqlite"):
        model._base_manager.bulk_update(figures, names, batch_size=BATCH // 4)
        return
    quote = connection.ops.quote_name
    fields = [model._meta.pk, *(model._meta.get_field(name) for name in names)]
    columns = [quote(field.column) for field in fields]
    if connection.vendor == "postgresql":
        # Typed placeholders: a VALUES column of NULLs would otherwise be text.
        row_sql = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in fields) + ")"
        source = "(VALUES {rows}) AS v(" + ", ".join(columns) + ")"
    else:
        row_sql = "(" + ", ".join("%s" for _field in fields) + ")"
        names_sql = ", ".join(f"column{index} AS {column}" for index, column in enumerate(columns, start=1))
        source = "(SELECT " + names_sql + " FROM (VALUES {rows})) AS v"
    assignments = ", ".join(f"{column} = v.{column}" for column in columns[1:])
    table = quote(model._meta.db_table)
    statement = f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{columns[0]} = v.{columns[0]}"
    # psycopg2 takes Python values (Decimal, datetime, str) as they are; SQLite needs
    # Django's adaptation.
    raw = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for start in range(0, len(figures), BATCH // 2):
            batch = figures[start : start + BATCH // 2]
            if raw:
                params = [getattr(figure, field.attname) for figure in batch for field in fields]
            else:
                params = [
                    field.get_db_prep_save(getattr(figure, field.attname), connection) for figure in batch for field in fields
                ]
            cursor.execute(statement.format(rows=", ".join([row_sql] * len(batch))), params)


def _with_relations(model, row):
    """The current row again, with what its stale message shows (who, and the value
    formatted through its indicator or project): one query, only on refusal."""
    return model._base_manager.select_related("updated_by").get(pk=row.pk)


def _copy_history(connection, columns: str, rows: list[tuple]) -> None:
    """PostgreSQL: COPY the history rows in (tens of thousands in a fraction of a second)."""
    import io

    def text(value):
        if value is None:
            return "\\N"
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        return '"' + str(value).replace('"', '""') + '"'

    stream = io.StringIO("\n".join(",".join(text(value) for value in row) for row in rows))
    table = connection.ops.quote_name(FigureChange._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", stream)
