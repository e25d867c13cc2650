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
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal

from . import languages


def lao_digits(text: str) -> str:
    """Write the Western digits of a text as Lao digits (the table's Lao script)."""
    return text.translate(str.maketrans("0123456789", languages.LAO.digits))


@dataclass(frozen=True)
class Formats:
    """Formatting rules of one document language."""

    lang: str
    native_digits: bool = False
    twelve_hour: bool = False  # "9:00 AM", where the language writes it (languages.Language.twelve_hour)

    @property
    def language(self) -> languages.Language:
        return languages.get(self.lang)

    def _digits(self, text: str) -> str:
        return languages.native_digits(text, self.lang) if self.native_digits else text

    def date(self, day: dt.date, *, weekday: bool = False) -> str:
        """Write a date: "Tuesday, 23 November 2021" / "ວັນອັງຄານ ທີ 23 ພະຈິກ 2021"."""
        if self.language.date_style == "lao-government":
            month_year = babel_date(day, "d MMMM y", locale=self.lang)
            prefix = babel_date(day, "EEEE", locale=self.lang) if weekday else "ວັນທີ"
            if weekday:
                return self._digits(f"{prefix} ທີ {month_year}")
            return self._digits(f"{prefix} {month_year}")
        pattern = "EEEE, d MMMM y" if weekday else "d MMMM y"
        return self._digits(babel_date(day, pattern, locale=self.lang))

    def day_month(self, day: dt.date) -> str:
        """Write a date without its year, for a date that differs in another zone."""
        if self.language.date_style == "lao-government":
            return self._digits("ວັນທີ " + babel_date(day, "d MMMM", locale=self.lang))
        return self._digits(babel_date(day, "d MMMM", locale=self.lang))

    def time(self, moment: dt.time | dt.datetime) -> str:
        """Write a clock time: 24-hour "09:30" in every language (agenda style)."""
        return self._digits(f"{moment.hour:02d}:{moment.minute:02d}")

    def clock(self, moment: dt.time | dt.datetime) -> str:
        """Write a clock time in the document's one style: 24-hour, or "9:00 AM" where the event asks."""
        if not (self.twelve_hour and self.language.twelve_hour):
            return self.time(moment)
        return babel_time(moment, "h:mm a", locale=self.lang)

    def number(self, value: int | float) -> str:
        """Write a number with its language's grouping ("10,000"; Lao with commas, as the press writes it)."""
        return self._digits(format_decimal(value, format="#,##0.###",
                                           locale=self.language.number_locale or self.lang))


def roman(number: int) -> str:
    """Write a section number in Roman numerals, as both languages' documents do."""
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out
