"""Dates, times, money and numbers written the way each language writes them.

The conventions come from CLDR through Babel: Mexican Spanish (es_MX), US English (en_US), and
Haitian Creole (ht_HT).

Haitian Creole: CLDR (Babel 2.18) has an `ht` locale, but a thin one. Its numbers and currency
follow Haiti's conventions (`1 234,50 $US`), which it shares with French as spoken in Haiti, and
those are used as they are. Its month names, like its country names, are not Kreyòl: CLDR makes
`ht` inherit them from `fr_HT`, so it would print "4 mars" and "juillet" where a Kreyòl reader
expects "4 mas" and "jiyè". So whenever a locale's month names turn out to be its French (or any
other foreign) parent's, they come from the texts file (`calendar.months`) instead; the check runs
on the data, so a CLDR release with Kreyòl months takes over by itself. Country names are handled
the same way by the texts' `[countries]` table, with CLDR as the fallback.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal, get_currency_precision

from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import Language

LOCALES: dict[Language, str] = {"es": "es_MX", "ht": "ht_HT", "en": "en_US"}

_NBSP = "\u00a0"


def _wide_months(locale: Locale) -> dict[int, str]:
    return dict(locale.months["format"]["wide"])


def _months_are_foreign(locale: Locale) -> bool:
    """Whether CLDR names this locale's months in another language, inherited from a parent."""
    parent = get_global("parent_exceptions").get(locale.language)
    if parent is None:
        return False
    parent_locale = Locale.parse(parent)
    return parent_locale.language != locale.language and _wide_months(
        parent_locale
    ) == _wide_months(locale)


class LanguageFormat:
    """How one language writes values; built once per language and reused."""

    def __init__(
        self,
        language: Language,
        month_names: Sequence[str],
        country_names: Mapping[str, str],
    ) -> None:
        if len(month_names) != 12:
            raise ValueError("month_names must name the 12 months")
        self.language = language
        self.locale = Locale.parse(LOCALES[language])
        self._date_pattern = self.locale.date_formats["long"].pattern
        self._own_months = None if not _months_are_foreign(self.locale) else tuple(month_names)
        self._country_names = dict(country_names)

    def date(self, value: date) -> str:
        """A date written out in words, as in a letter: '4 de marzo de 2025', '4 mas 2025'."""
        pattern = self._date_pattern
        if self._own_months is not None:
            month = self._own_months[value.month - 1].replace("'", "''")
            pattern = pattern.replace("MMMM", f"'{month}'")
        return format_date(value, pattern, locale=self.locale)

    def time(self, value: datetime) -> str:
        """The time of day in UTC, in the language's clock: '3:30 p.m.', '15:30'."""
        return format_time(value, "short", tzinfo=UTC, locale=self.locale)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def money(self, value: Money) -> str:
        digits = get_currency_precision(value.currency)
        amount = Decimal(value.amount).scaleb(-digits)
        return format_currency(
            amount,
            value.currency,
            format=self._currency_pattern(value.currency),
            locale=self.locale,
        )

    def country(self, code: str) -> str:
        return self._country_names.get(code) or str(self.locale.territories.get(code, code))

    def _currency_pattern(self, currency: str) -> str:
        pattern: str = self.locale.currency_formats["standard"].pattern
        symbol: str = self.locale.currency_symbols.get(currency, currency)
        if symbol == "$" and currency != "USD":
            # A bare "$" means pesos to a Mexican reader and dollars beside them in the same
            # contract: any dollar sign that isn't the US dollar's is spelt out as its code.
            pattern = pattern.replace("¤", "¤¤")
            symbol = currency
        # CLDR's currency spacing, which Babel does not apply: a symbol made of letters is kept
        # apart from the digits, so Mexican Spanish gets "USD 16.23" rather than "USD16.23".
        if symbol[-1].isalpha():
            pattern = re.sub(r"¤(?=[#0])", f"¤{_NBSP}", pattern)
        if symbol[0].isalpha():
            pattern = re.sub(r"(?<=[#0])¤", f"{_NBSP}¤", pattern)
        return pattern
