"""Dates, times, money and numbers written the way each language writes them.

How a date, a number and an amount of money are written comes from the language's texts file
(`[calendar]`, `[numbers]`, `[money]` in `contracts/texts/{language}.toml`), which program staff
edit, not from a locale library. CLDR, through Babel, covers Haitian Creole badly and differently
from one release to the next: Babel 2.18 gave it French month names ("4 mars"), Babel 2.19 none
at all ("2025 M03 4", "US$ 17,00"). A worker's contract must not change with the version of a
library installed on the server, so the texts decide, in every language alike.

Babel still supplies what it has alike in every release: the time of day ("4:05 p.m.",
"16:05"), and the name of a country the texts don't name.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_time

from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import Language

LOCALES: dict[Language, str] = {"es": "es_MX", "ht": "ht_HT", "en": "en_US"}

_NBSP = "\u00a0"
_GROUPS_OF_THREE = re.compile(r"\B(?=(\d{3})+$)")


@dataclass(frozen=True)
class WritingConventions:
    """How one language writes dates, numbers and money, as its texts file says."""

    month_names: Sequence[str]
    date_pattern: str  # "{day} de {month} de {year}"
    decimal_separator: str
    group_separator: str
    money_pattern: str  # "{symbol} {amount}"
    currency_symbols: Mapping[str, str]  # "USD" -> "$US"; a currency not named: its code

    def __post_init__(self) -> None:
        if len(self.month_names) != 12:
            raise ValueError("month_names must name the 12 months")


class LanguageFormat:
    """How one language writes values; built once per language and reused."""

    def __init__(
        self,
        language: Language,
        conventions: WritingConventions,
        country_names: Mapping[str, str],
    ) -> None:
        self.language = language
        self.locale = Locale.parse(LOCALES[language])
        self._conventions = conventions
        self._country_names = dict(country_names)

    def date(self, value: date) -> str:
        """A date written out in words, as in a letter: '4 de marzo de 2025', '4 mas 2025'."""
        conventions = self._conventions
        return conventions.date_pattern.format(
            day=value.day, month=conventions.month_names[value.month - 1], year=value.year
        )

    def time(self, value: datetime) -> str:
        """The time of day in UTC, in the language's clock: '3:30 p.m.', '15:30'."""
        return format_time(value, "short", tzinfo=UTC, locale=self.locale)

    def number(self, value: float | Decimal) -> str:
        """A number with the decimals it has: '1,234.5', '1 234,5', '40'."""
        return self._digits(Decimal(str(value)).normalize(), fixed_places=None)

    def money(self, value: Money) -> str:
        # Every currency of the vocabulary has two-decimal minor units in ISO 4217, and amounts
        # are recorded so (a roster's "150.50" is 15050). CLDR's precision would say 0 for the
        # Colombian peso, counting its coins, and print 150.00 COP as 15 000 COP.
        amount = self._digits(Decimal(value.amount).scaleb(-2), fixed_places=2)
        symbol = self._conventions.currency_symbols.get(value.currency, value.currency)
        pattern = self._conventions.money_pattern
        # A symbol made of letters is never run into the digits ("USD1.00"): CLDR's currency
        # spacing, for a currency the texts don't name.
        if symbol[-1].isalpha():
            pattern = pattern.replace("{symbol}{amount}", f"{{symbol}}{_NBSP}{{amount}}")
        if symbol[0].isalpha():
            pattern = pattern.replace("{amount}{symbol}", f"{{amount}}{_NBSP}{{symbol}}")
        return pattern.format(symbol=symbol, amount=amount)

    def country(self, code: str) -> str:
        return self._country_names.get(code) or str(self.locale.territories.get(code, code))

    def _digits(self, value: Decimal, fixed_places: int | None) -> str:
        if fixed_places is not None:
            value = value.quantize(Decimal(1).scaleb(-fixed_places))
        elif value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        sign = "-" if value < 0 else ""
        whole, _, fraction = f"{abs(value):f}".partition(".")
        whole = _GROUPS_OF_THREE.sub(self._conventions.group_separator, whole)
        return sign + whole + (self._conventions.decimal_separator + fraction if fraction else "")
