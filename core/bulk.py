"""Updating many rows at once without Django's bulk_update.

bulk_update writes one CASE WHEN per field with a branch per row, so its SQL grows with rows ×
fields and the database re-parses it per batch; updating 20,000 ledger rows took minutes. Here
PostgreSQL gets one UPDATE … FROM unnest(arrays) per chunk and SQLite a prepared UPDATE run with
executemany — linear in the rows.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

CHUNK = 2000
M = TypeVar("M", bound=models.Model)


def fast_bulk_update(objs: Sequence[models.Model], field_names: Sequence[str]) -> None:
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [meta.get_field(name) for name in field_names]
    concrete = [f for f in fields if isinstance(f, models.Field)]
    assert len(concrete) == len(fields), "only concrete fields can be updated"
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = [str(f.column) for f in concrete]
    prepared = _prepared_positions([*concrete, pk])
    values = attrgetter(*(f.attname for f in concrete), pk.attname)

    wrapper = connections[DEFAULT_DB_ALIAS]

    def row(obj: models.Model) -> Sequence[Any]:
        return _ready(values(obj), prepared, wrapper)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column: the statement stays a few lines long whatever the rows
            # (psycopg splits a statement's placeholders in Python, 40,000 of them took seconds).
            types = [str(f.db_type(connection)) for f in concrete]
            types.append(str(pk.rel_db_type(connection)))
            names = ", ".join(quote(n) for n in [*columns, str(pk.column)])
            arrays = ", ".join(f"%s::{t}[]" for t in types)
            sets = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
            for start in range(0, len(objs), CHUNK):
                rows = [row(obj) for obj in objs[start : start + CHUNK]]
                cursor.execute(
                    f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({names}) "  # noqa: S608
                    f"WHERE {table}.{quote(str(pk.column))} = v.{quote(str(pk.column))}",
                    [list(column) for column in zip(*rows, strict=True)],
                )
        else:
            sets = ", ".join(f"{quote(c)} = %s" for c in columns)
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE {quote(str(pk.column))} = %s",  # noqa: S608
                [row(obj) for obj in objs],
            )


# Field types whose Python values psycopg sends to PostgreSQL as they are: psycopg writes their text
# form itself. Any other type (JSON, arrays, files …) goes through the field's own preparation.
COPY_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _prepared_positions(fields: Sequence[models.Field]) -> list[tuple[int, models.Field]]:
    """The fields whose values need the field's own preparation before they are sent: all on
    SQLite, only those of types psycopg cannot send as they are on PostgreSQL."""
    as_is = connection.vendor == "postgresql"
    return [
        (i, f) for i, f in enumerate(fields) if not (as_is and f.get_internal_type() in COPY_AS_IS)
    ]


def _ready(
    row: Sequence[Any], prepared: list[tuple[int, models.Field]], wrapper: Any
) -> Sequence[Any]:
    """`wrapper` is the connection itself, not django.db.connection: every attribute read
    through that proxy is a thread-local lookup, millions of them in a 20,000-row write."""
    if not prepared:
        return row
    out = list(row)
    for i, f in prepared:
        out[i] = f.get_db_prep_save(out[i], wrapper)
    return out


def maker(model: type[M]) -> Callable[[], M]:
    """New unsaved objects of a model, for building thousands at once: each is a copy of one
    built by `model()`, a tenth of the cost of building each (defaults, descriptors and init
    signals). A model with init-signal receivers, which a copy would skip, is built as usual;
    so is one whose defaults are mutable (a copy would share them)."""
    prototype = model().__dict__
    mutable = any(isinstance(v, list | dict | set) for v in prototype.values())
    if mutable or pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model

    def new() -> M:
        obj = model.__new__(model)
        obj.__dict__ = {**prototype, "_state": ModelState()}
        return obj

    return new


def insert_rows(
    model: type[models.Model], fields: Sequence[models.Field], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert rows given as the fields' Python values: streamed to COPY on PostgreSQL, one
    executemany on SQLite.

    The ORM compiles every value of bulk_create through its SQL compiler (about 6 µs a value:
    10 s for the 1.8 million values of a 20,000-row import with its history rows); here only the
    values COPY cannot take as they are get the field's preparation.
    """
    quote = connection.ops.quote_name
    prepared = _prepared_positions(fields)
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    wrapper = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(_ready(row, prepared, wrapper))
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                [_ready(row, prepared, wrapper) for row in rows],
            )


def _allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for rows about to be inserted: the sequence on PostgreSQL, the next ids
    under the write lock SQLite's IMMEDIATE transactions hold."""
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, count],
            )
            return [r[0] for r in cursor.fetchall()]
        # AUTOINCREMENT never reuses the id of a deleted row (its history would be mixed into
        # the new row's): start above both the rows and the sequence.
        column, table = quote(str(pk.column)), quote(meta.db_table)
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX({column}) FROM {table}), 0), "  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [meta.db_table],
        )
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


def allocate_ids(objs: Sequence[models.Model]) -> None:
    """Set primary keys on new objects before they are inserted, for rows that other rows will
    point to. Insert them in the same transaction."""
    if objs:
        for obj, new_id in zip(objs, _allocate_ids(type(objs[0]), len(objs)), strict=True):
            obj.pk = new_id


def fast_bulk_insert(objs: Sequence[models.Model], *, assign_ids: bool = False) -> None:
    """Insert many new rows of one model without the ORM's per-value compilation.

    With `assign_ids` the primary keys are allocated first (`allocate_ids`); objects whose keys
    were allocated already are inserted with them. auto_now / auto_now_add fields get their
    value as in a save.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    if assign_ids:
        allocate_ids(objs)
    with_ids = objs[0].pk is not None
    fields = [f for f in meta.concrete_fields if f is not pk or with_ids]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    names = [f.attname for f in fields]
    values = attrgetter(*names) if len(names) > 1 else lambda obj: (getattr(obj, names[0]),)

    def rows() -> Iterator[Sequence[Any]]:
        for obj in objs:
            for f in stamped:
                f.pre_save(obj, True)
            yield values(obj)

    insert_rows(model, fields, rows())
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def bulk_history(objs: list[Any], *, actor: Any, reason: str, kind: str = "~") -> None:
    """History rows for objects written in bulk: the same who/when/why as a single save.

    Call it once the rows are written (or, for "-", before they are deleted): the database
    copies each row as it now stands into the history table (INSERT … SELECT), so 20,000 rows
    are neither built as historical objects nor formatted in Python.
    """
    if not objs:
        return
    model = type(objs[0])
    historical = model.history.model
    now = timezone.now()
    fixed = {
        "history_date": historical._meta.get_field("history_date").get_db_prep_save(
            now, connection
        ),
        "history_type": kind,
        "history_user_id": actor.pk if actor else None,
        "history_change_reason": reason.strip()[:100],
    }
    fields = [f for f in historical._meta.concrete_fields if not f.primary_key]
    copied = [f for f in fields if f.attname not in fixed]
    quote = connection.ops.quote_name
    target = ", ".join(quote(f.column) for f in copied) + ", " + ", ".join(map(quote, fixed))
    source = ", ".join(quote(model._meta.get_field(f.name).column) for f in copied)
    marks = ", ".join(["%s"] * len(fixed))
    pk = model._meta.pk
    assert pk is not None
    head = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({target}) "  # noqa: S608
        f"SELECT {source}, {marks} FROM {quote(model._meta.db_table)} WHERE {quote(pk.column)}"
    )
    ids = [o.pk for o in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{head} = ANY(%s)", [*fixed.values(), ids])
            return
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start : start + IN_CHUNK]
            cursor.execute(
                f"{head} IN ({', '.join(['%s'] * len(chunk))})", [*fixed.values(), *chunk]
            )


class RowErrors(ValidationError):
    """Rows of a bulk write that break the rules: nothing was written. `rows` maps each row's
    position in the input (or (kind, position) when several kinds are written together) to its
    own ValidationError, so the caller can point at the row."""

    def __init__(self, rows: dict[Any, ValidationError]) -> None:
        self.rows = rows
        super().__init__(
            [
                f"第{_ordinal(key)}条：{'；'.join(e.messages)}"
                for key, e in sorted(rows.items())[:20]
            ]
        )


def _ordinal(key: int | tuple[str, int]) -> int:
    return (key[-1] if isinstance(key, tuple) else key) + 1


_SCALARS = (str, int, bool, datetime.date, type(None))


class Cleaner:
    """`full_clean()` (without unique and constraint checks) for many objects of one model.

    A field's own checks (type, length, choices, validators) depend on its value alone, so each
    distinct value is checked once per Cleaner: 20,000 rows share a few hundred statuses, dates
    and amounts. The model's `clean()` (its invariants) runs for every object, and relations
    are never checked here (each check is a query; callers pass the objects).
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = {
            f.name: f
            for f in model._meta.concrete_fields
            if not f.primary_key and not f.is_relation
        }
        self._clean: dict[tuple[str, type, Any], Any] = {}

    def __call__(self, obj: models.Model, fields: Iterable[str] | None = None) -> None:
        errors: dict[str, list[ValidationError]] = {}
        for name in self.fields if fields is None else fields:
            f = self.fields.get(name)
            if f is None:
                continue
            raw = getattr(obj, f.attname)
            if f.blank and raw in f.empty_values:
                continue
            key: tuple[str, type, Any] | None = None
            if isinstance(raw, Decimal):  # 1.0 and 1.00 are equal but not equally long
                key = (name, Decimal, str(raw))
            elif isinstance(raw, _SCALARS):
                key = (name, type(raw), raw)
            if key is not None and key in self._clean:
                setattr(obj, f.attname, self._clean[key])
                continue
            try:
                value = f.clean(raw, obj)
            except ValidationError as exc:
                errors[name] = exc.error_list
                continue
            setattr(obj, f.attname, value)
            if key is not None:
                self._clean[key] = value
        try:
            obj.clean()
        except ValidationError as exc:
            for name, messages in exc.update_error_dict({}).items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


IN_CHUNK = 5000  # values per IN list on SQLite, within its 32,766 parameters


def in_batches(values: Sequence[Any], sql_type: str = "bigint") -> list[Any]:
    """Arguments for `__in` filters that together cover `values`: one array parameter on
    PostgreSQL (an IN list of 20,000 costs Django and psycopg a step per value), lists within
    SQLite's parameter limit."""
    if not values:
        return []
    if connection.vendor == "postgresql":
        return [RawSQL(f"SELECT unnest(%s::{sql_type}[])", (list(values),))]  # noqa: S611
    return [values[i : i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK)]
