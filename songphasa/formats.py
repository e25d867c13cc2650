"""Dates, times and numbers the way each language's documents write them.

Babel's CLDR data gives month and weekday names. Lao government documents
differ from CLDR in a few places, fixed here: dates read "ວັນທີ 23 ພະຈິກ 2021"
(with the weekday: "ວັນອັງຄານ ທີ 23 ພະຈິກ 2021"), times are 24-hour, and
numbers group thousands with commas as the Lao press does (CLDR says
"1.234,5"). An event setting switches the Lao track to Lao digits (໐–໙).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date as babel_date
from babel.numbers import format_decimal

_LAO_DIGITS = str.maketrans("0123456789", "໐໑໒໓໔໕໖໗໘໙")


def lao_digits(text: str) -> str:
    """Write the Western digits of a text as Lao digits."""
    return text.translate(_LAO_DIGITS)


@dataclass(frozen=True)
class Formats:
    """Formatting rules of one document language."""

    lang: str
    native_digits: bool = False

    def _digits(self, text: str) -> str:
        return lao_digits(text) if self.lang == "lo" and self.native_digits else text

    def date(self, day: dt.date, *, weekday: bool = False) -> str:
        """Write a date: "Tuesday, 23 November 2021" / "ວັນອັງຄານ ທີ 23 ພະຈິກ 2021"."""
        if self.lang == "lo":
            month_year = babel_date(day, "d MMMM y", locale="lo")
            prefix = babel_date(day, "EEEE", locale="lo") if weekday else "ວັນທີ"
            if weekday:
                return self._digits(f"{prefix} ທີ {month_year}")
            return self._digits(f"{prefix} {month_year}")
        pattern = "EEEE, d MMMM y" if weekday else "d MMMM y"
        return self._digits(babel_date(day, pattern, locale=self.lang))

    def day_month(self, day: dt.date) -> str:
        """Write a date without its year, for a date that differs in another zone."""
        if self.lang == "lo":
            return self._digits("ວັນທີ " + babel_date(day, "d MMMM", locale="lo"))
        return babel_date(day, "d MMMM", locale=self.lang)

    def time(self, moment: dt.time | dt.datetime) -> str:
        """Write a clock time: 24-hour "09:30" in every language (agenda style)."""
        return self._digits(f"{moment.hour:02d}:{moment.minute:02d}")

    def clock(self, moment: dt.time | dt.datetime) -> str:
        """Write a clock time in a zone line: 24-hour in every language, as the agenda does ("00:00", not "12:00 AM")."""
        return self.time(moment)

    def number(self, value: int | float) -> str:
        """Write a number with comma grouping ("10,000"; Lao as the press writes it)."""
        return self._digits(format_decimal(value, format="#,##0.###", locale="en"))


def roman(number: int) -> str:
    """Write a section number in Roman numerals, as both languages' documents do."""
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out
