"""Updating many rows at once without Django's bulk_update.

bulk_update writes one CASE WHEN per field with a branch per row, so its SQL grows with rows ×
fields and the database re-parses it per batch; updating 20,000 ledger rows took minutes. Here
PostgreSQL gets one UPDATE … FROM unnest(arrays) per chunk and SQLite a prepared UPDATE run with
executemany — linear in the rows.
"""

from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any

from django.db import connection, models

CHUNK = 2000


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

    def row(obj: models.Model) -> Sequence[Any]:
        return _ready(values(obj), prepared)

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


def _ready(row: Sequence[Any], prepared: list[tuple[int, models.Field]]) -> Sequence[Any]:
    if not prepared:
        return row
    out = list(row)
    for i, f in prepared:
        out[i] = f.get_db_prep_save(out[i], connection)
    return out


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
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(_ready(row, prepared))
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                [_ready(row, prepared) for row in rows],
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


def fast_bulk_insert(objs: Sequence[models.Model], *, assign_ids: bool = False) -> None:
    """Insert many new rows of one model without the ORM's per-value compilation.

    With `assign_ids` the primary keys are allocated first and set on the objects, for rows that
    other rows will point to. auto_now / auto_now_add fields get their value as in a save.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    if assign_ids:
        for obj, new_id in zip(objs, _allocate_ids(model, len(objs)), strict=True):
            obj.pk = new_id
    fields = [f for f in meta.concrete_fields if f is not pk or assign_ids]
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
