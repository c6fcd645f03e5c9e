"""Rates OFLC publishes every year, loaded by staff: the AEWRs and the meal charge maximum.

Each load is a version: it records its file's digest, source and dates, and supersedes the rates
it covers (same state, occupation and skill level starting within its dates). Loading the same file
with the same source and dates again changes nothing. A file with any bad row is refused whole:
half a table would judge some workers against last year's rates. Every case is re-evaluated
after a load, since any job order may have been waiting for it.
"""

import csv
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import and_, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.errors import FieldProblem, InvalidInput
from recruitment.models import MealChargeMaximum, ReferenceImport, WageFloorRate
from recruitment.schemas.published_rates import ReferenceImportRead
from recruitment.services import audit, cases
from recruitment.services.caller import Caller
from recruitment.verification import (
    PublishedRate,
    RowError,
    parse_meal_charge_maximums,
    parse_wage_rates,
)

RateKind = Literal["wage_rates", "meal_charge_maximums"]
Parser = Callable[[Iterable[str], date, date], Iterator[PublishedRate | RowError]]


@dataclass
class PublishedRatesLoad:
    load: ReferenceImport
    unchanged: bool
    superseded: int = 0
    cases_reevaluated: int = 0


def _digest(lines: list[str], source: str, starts: date, ends: date) -> str:
    content = "\n".join(line.rstrip("\r\n") for line in lines)
    stated = f"{source}\n{starts.isoformat()}\n{ends.isoformat()}\n"
    return hashlib.sha256((stated + content).encode("utf-8")).hexdigest()


def _read(parser: Parser, lines: list[str], starts: date, ends: date) -> list[PublishedRate]:
    try:
        parsed = list(parser(lines, starts, ends))
    except (ValueError, csv.Error) as error:
        raise InvalidInput.of_field("body", f"The table can't be read: {error}.") from error
    problems = [item for item in parsed if isinstance(item, RowError)]
    rates = [item for item in parsed if isinstance(item, PublishedRate)]
    seen: dict[tuple[str, str, str, date], int] = {}
    for rate in rates:
        key = (rate.state, rate.soc_code, rate.skill_level, rate.effective_from)
        if key in seen:
            problems.append(
                RowError(rate.line, None, f"the same rate as line {seen[key]}, a second time")
            )
        seen.setdefault(key, rate.line)
    if problems:
        raise InvalidInput(
            f"{len(problems)} rows can't be loaded: nothing was loaded.",
            [
                FieldProblem(
                    f"body.line.{p.line}" + (f".{p.column}" if p.column else ""), p.message
                )
                for p in sorted(problems, key=lambda p: p.line)[:200]
            ],
        )
    if not rates:
        raise InvalidInput.of_field("body", "The table has no rows.")
    return rates


async def _supersede_wage_rates(
    session: AsyncSession, rates: list[PublishedRate], starts: date, ends: date
) -> int:
    keys = {(rate.state, rate.soc_code, rate.skill_level) for rate in rates}
    superseded = 0
    batch = sorted(keys)
    for start in range(0, len(batch), 500):
        result = await session.exec(
            update(WageFloorRate)
            .where(
                col(WageFloorRate.superseded_at).is_(None),
                col(WageFloorRate.effective_from).between(starts, ends),
                or_(
                    *(
                        and_(
                            col(WageFloorRate.state) == state,
                            col(WageFloorRate.soc_code) == soc_code,
                            col(WageFloorRate.skill_level) == level,
                        )
                        for state, soc_code, level in batch[start : start + 500]
                    )
                ),
            )
            .values(superseded_at=clock.now())
        )
        superseded += result.rowcount
    return superseded


async def _supersede_meal_charges(session: AsyncSession, starts: date, ends: date) -> int:
    result = await session.exec(
        update(MealChargeMaximum)
        .where(
            col(MealChargeMaximum.superseded_at).is_(None),
            col(MealChargeMaximum.effective_from).between(starts, ends),
        )
        .values(superseded_at=clock.now())
    )
    return int(result.rowcount)


def _wage_rate(rate: PublishedRate, load: ReferenceImport) -> WageFloorRate:
    return WageFloorRate(
        state=rate.state,
        soc_code=rate.soc_code,
        skill_level=rate.skill_level,
        year=load.effective_until.year,
        effective_from=rate.effective_from,
        effective_until=load.effective_until,
        hourly_cents=rate.cents,
        basis=rate.basis or None,
        note=rate.note or None,
        source=load.source,
        import_id=load.id,
    )


def _meal_charge(rate: PublishedRate, load: ReferenceImport) -> MealChargeMaximum:
    return MealChargeMaximum(
        effective_from=rate.effective_from,
        effective_until=load.effective_until,
        daily_cents=rate.cents,
        source=load.source,
        import_id=load.id,
    )


async def load_published_rates(
    session: AsyncSession,
    caller: Caller,
    kind: RateKind,
    lines: Iterable[str],
    file_name: str,
    source: str,
    effective_from: date,
    effective_until: date,
) -> PublishedRatesLoad:
    """Load one published table (all rows or none) and re-evaluate every case."""
    caller.require_staff("load published wage rates and meal charges")
    if effective_until < effective_from:
        raise InvalidInput.of_field(
            "effective_until",
            f"effective_until {effective_until} is before effective_from {effective_from}.",
        )
    if not source.strip():
        raise InvalidInput.of_field("source", "Say where the rates were published.")
    for name, value in (("source", source), ("file_name", file_name)):
        if "\x00" in value:
            raise InvalidInput.of_field(name, f"The {name} holds a NUL character.")
    text = list(lines)
    digest = _digest(text, source, effective_from, effective_until)
    existing = (
        await session.exec(
            select(ReferenceImport).where(
                ReferenceImport.kind == kind, ReferenceImport.sha256 == digest
            )
        )
    ).first()
    if existing is not None:
        return PublishedRatesLoad(load=existing, unchanged=True)
    parser: Parser = parse_wage_rates if kind == "wage_rates" else parse_meal_charge_maximums
    rates = _read(parser, text, effective_from, effective_until)
    load = ReferenceImport(
        kind=kind,
        sha256=digest,
        file_name=file_name[:300],
        source=source.strip()[:300],
        effective_from=effective_from,
        effective_until=effective_until,
        rows=len(rates),
        imported_by=caller.actor,
    )
    session.add(load)
    await session.flush()
    if kind == "wage_rates":
        superseded = await _supersede_wage_rates(session, rates, effective_from, effective_until)
        session.add_all(_wage_rate(rate, load) for rate in rates)
    else:
        superseded = await _supersede_meal_charges(session, effective_from, effective_until)
        session.add_all(_meal_charge(rate, load) for rate in rates)
    await session.flush()
    await audit.record(
        session, caller, "reference.import", "reference_import", load.id, grower_id=None,
        after=ReferenceImportRead.model_validate(load),
    )  # fmt: skip
    summary = await cases.reevaluate(session)
    return PublishedRatesLoad(
        load=load, unchanged=False, superseded=superseded, cases_reevaluated=summary.cases
    )


async def list_loads(
    session: AsyncSession, caller: Caller, kind: RateKind
) -> list[ReferenceImport]:
    caller.require_staff("read the published rate loads")
    return list(
        await session.exec(
            select(ReferenceImport)
            .where(ReferenceImport.kind == kind)
            .order_by(col(ReferenceImport.created_at).desc(), col(ReferenceImport.id))
        )
    )
