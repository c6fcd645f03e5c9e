"""Many new rows of one table in one COPY, inside the session's transaction.

An INSERT, even a multi-row one, makes PostgreSQL parse and plan the values; COPY streams them in
the binary format. The imports and the re-evaluation of a whole season write tens of thousands of
rows at once, where the difference is several-fold.
"""

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from sqlalchemy import Column, ColumnElement, Table, func, literal
from sqlalchemy import select as select_columns
from sqlalchemy.dialects.postgresql import JSONB, Insert, insert
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models.base import new_id, utc_now


@dataclass(frozen=True)
class Records:
    """New rows of one table as COPY takes them: tuples of values in the order of `columns`.
    Plain data, so a process that plans rows can hand them to the one that writes them."""

    table: str
    columns: list[str]
    values: list[tuple[Any, ...]]


def with_defaults(model: type[SQLModel], rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each row with every column of the model's table, those it leaves out at the model's
    default (ids and timestamps are the models' defaults, not the database's). A dict is what an
    ORM instance would hold, for a fraction of the cost of building one (about 100 us)."""
    defaults = {name: _default_of(field) for name, field in model.model_fields.items()}
    return [
        {name: row[name] if name in row else default() for name, default in defaults.items()}
        for row in rows
    ]


def records_of(model: type[SQLModel], rows: Iterable[Mapping[str, Any]]) -> Records:
    """`rows` (see `with_defaults`) as records of the model's table."""
    table = model.__table__  # type: ignore[attr-defined]
    columns = [column.name for column in table.columns]
    defaults = {name: _default_of(field) for name, field in model.model_fields.items()}
    # asyncpg takes jsonb as text; msgspec encodes a flag's evidence in 0.5 us, json.dumps in 4.
    as_json = [i for i, column in enumerate(table.columns) if isinstance(column.type, JSONB)]
    values = []
    # Rows often share a document (the findings about a job order's terms, in each of its cases):
    # each is encoded once. The rows hold the documents, so their ids are not reused meanwhile.
    encoded: dict[int, tuple[Any, str]] = {}  # the document too, so that its id stays its own
    # Each record built in one pass over its columns: a re-verification writes one per flag.
    for row in rows:
        record = [row[name] if name in row else defaults[name]() for name in columns]
        for index in as_json:
            if (document := record[index]) is not None:
                if (known := encoded.get(id(document))) is None:
                    known = encoded[id(document)] = (document, _encode_json(document).decode())
                record[index] = known[1]
        values.append(tuple(record))
    return Records(table.name, columns, values)


_encode_json = msgspec.json.Encoder().encode


async def copy_rows(
    session: AsyncSession, model: type[SQLModel], rows: Iterable[Mapping[str, Any]]
) -> int:
    """COPY `rows` (see `records_of`) into the model's table. Returns the row count."""
    return await copy(session, records_of(model, rows))


async def copy(session: AsyncSession, records: Records) -> int:
    return await copy_records(session, records.table, records.columns, records.values)


async def copy_records(
    session: AsyncSession, table: str, columns: list[str], records: list[tuple[Any, ...]]
) -> int:
    """COPY tuples of values, in the order of `columns`, into `table`."""
    if not records:
        return 0
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    if not driver.is_in_transaction():  # type: ignore[union-attr]
        # SQLAlchemy's asyncpg adapter sends BEGIN with the first statement it runs: a COPY
        # sent to the driver before any would be committed on its own, whatever followed.
        await connection.exec_driver_sql("SELECT 1")
    await driver.copy_records_to_table(  # type: ignore[union-attr]
        table, records=records, columns=columns
    )
    return len(records)


def insert_selected(
    model: type[SQLModel],
    values: Mapping[str, ColumnElement[Any]],
    *,
    where: ColumnElement[bool] | None = None,
) -> Insert:
    """INSERT INTO the model's table a row for each row the `values` select: the columns they
    leave out get the model's defaults, as SQL (a new id, the transaction's time, a constant)."""
    table = model.__table__  # type: ignore[attr-defined]
    fields = model.model_fields
    selected = [
        values[column.name] if column.name in values else _sql_default(fields[column.name], column)
        for column in table.columns
    ]
    query = select_columns(*selected)
    if where is not None:
        query = query.where(where)
    return insert(table).from_select([column.name for column in table.columns], query)


def _sql_default(field: FieldInfo, column: Column[Any]) -> ColumnElement[Any]:
    if field.default_factory is new_id:
        return func.gen_random_uuid()
    if field.default_factory is utc_now:
        return func.now()
    if field.default_factory is not None or field.default is PydanticUndefined:
        raise TypeError(f"{column.name} has no default that SQL can give: select a value for it")
    return literal(field.default, column.type)


def _default_of(field: FieldInfo) -> Callable[[], Any]:
    # FieldInfo.get_default inspects the factory's signature on every call: too slow per cell.
    if field.default_factory is not None:
        return field.default_factory  # type: ignore[return-value]
    return lambda: field.default


async def insert_models(session: AsyncSession, rows: Sequence[SQLModel]) -> None:
    """Insert these new model instances with one INSERT per table, tables in the order they first
    appear (parents first), through Core: the write holds every value, so the ORM's unit of work
    would add only its bookkeeping. The instances stay out of the session."""
    by_model: dict[type[SQLModel], list[dict[str, Any]]] = {}
    for row in rows:
        table: Table = type(row).__table__  # type: ignore[attr-defined]
        by_model.setdefault(type(row), []).append(
            {column.name: getattr(row, column.name) for column in table.columns}
        )
    for model, values in by_model.items():
        await insert_rows(session, model, values)


async def insert_rows(
    session: AsyncSession, model: type[SQLModel], rows: list[dict[str, Any]]
) -> None:
    """Insert complete rows of the model's table (see `with_defaults`) with one INSERT, on the
    session's connection: through the session, the ORM would plan a bulk insert of its own."""
    if rows:
        await (await session.connection()).execute(insert_into(model), rows)


@functools.cache
def insert_into(model: type[SQLModel]) -> Insert:
    """The model's INSERT, built once: a statement built anew costs its construction and its
    cache key on every call, on the paths where a request writes a row or two."""
    return insert(model.__table__)  # type: ignore[attr-defined]
