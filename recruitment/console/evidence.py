"""A flag's evidence as people read it: a sentence per flag code from the console's texts, then
each fact labelled and formatted in the console's language (money as money, dates as dates,
codes by their names). Identifiers are left out: the page links to the case instead."""

import re
import string
from dataclasses import dataclass
from datetime import date
from typing import Any

from recruitment.console.texts import Texts
from recruitment.domain.terms import Money
from recruitment.rendering.formatting import LanguageFormat

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Amounts in minor units whose currency is the evidence's `currency`.
_MINOR_UNITS = frozenset({"amount", "reimbursed", "outstanding"})


@dataclass(frozen=True)
class EvidenceView:
    summary: str | None
    facts: list[tuple[str, str]]


# English working notes of the rules, and the legal source the page already shows.
_NOT_SHOWN = frozenset({"note", "offer_computation", "source", "status", "currency"})


def _is_identifier(key: str) -> bool:
    return key == "id" or key.endswith(("_id", "_ids")) or key in _NOT_SHOWN


class _Reader:
    def __init__(self, t: Texts, fmt: LanguageFormat, evidence: dict[str, Any]) -> None:
        self.t, self.fmt, self.evidence = t, fmt, evidence

    def label(self, key: str) -> str:
        found = f"evidence.keys.{key}"
        return self.t(found) if self.t.has(found) else key.replace("_", " ").capitalize()

    def value(self, key: str, value: Any) -> str:
        if value is None:
            return "—"
        if isinstance(value, bool):
            return self.t("app.yes") if value else self.t("app.no")
        if isinstance(value, int) and key in _MINOR_UNITS and "currency" in self.evidence:
            return self.fmt.money(Money(amount=value, currency=self.evidence["currency"]))
        if isinstance(value, int) and key.endswith("_cents"):  # the wage rules work in US cents
            return self.fmt.money(Money(amount=value, currency="USD"))
        if isinstance(value, dict):
            if set(value) == {"amount", "currency"}:
                return self.fmt.money(Money.model_validate(value))
            if {"item", "problem"} <= set(value):  # a TERMS_INCOMPLETE problem
                return f"{self.name(value['item'])}: {self.name(value['problem'])}"
            return "; ".join(
                f"{self.label(k)}: {self.value(k, v)}"
                for k, v in value.items()
                if not _is_identifier(k)
            )
        if isinstance(value, list | tuple):
            return ", ".join(self.value(key, item) for item in value) or "—"
        if isinstance(value, str) and _ISO_DATE.match(value):
            return self.fmt.date(date.fromisoformat(value))
        if isinstance(value, str):
            return self.name(value)
        return self.fmt.number(value) if isinstance(value, int | float) else str(value)

    def name(self, code: str) -> str:
        found = f"evidence.values.{code}"
        return self.t(found) if self.t.has(found) else code


def evidence_view(
    code: str, evidence: dict[str, Any], t: Texts, fmt: LanguageFormat
) -> EvidenceView:
    reader = _Reader(t, fmt, evidence)
    shown = {key: reader.value(key, value) for key, value in evidence.items()}
    summary = None
    template = f"evidence.summary.{code}"
    if t.has(template):
        wanted = {name for _, name, _, _ in string.Formatter().parse(t(template)) if name}
        summary = t(template, **{name: shown.get(name, "—") for name in wanted})
    facts = [(reader.label(key), text) for key, text in shown.items() if not _is_identifier(key)]
    return EvidenceView(summary, facts)
