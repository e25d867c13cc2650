"""The kinds of value a content field holds, and the base of every model.

The YAML reader gives every string as a :class:`Text`; a field that is a
name, a time or a date reads the text inside it. Each kind says what it
looks like in a JSON Schema, for editors (tools/schemas.py writes them).
"""

import datetime as dt
import re
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .text import Text

#: Dates an event can have; outside them, computing times in other zones overflows.
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))


def unwrap(value: Any) -> Any:
    """Return a Text's string, any other value as it is."""
    return value.source if isinstance(value, Text) else value


def to_text(value: Any) -> Text:
    """Accept a Text (a string of the file, with its place and id) and nothing else."""
    if isinstance(value, Text):
        return value
    raise PydanticCustomError("text_type", "should be text")


def to_time(value: Any) -> dt.time:
    """Read a time written HH:MM."""
    value = unwrap(value)
    if isinstance(value, str) and re.fullmatch(r"\d\d:\d\d", value.strip()):
        hours, minutes = map(int, value.strip().split(":"))
        if hours < 24 and minutes < 60:
            return dt.time(hours, minutes)
    shown = value if isinstance(value, str) else repr(value)
    raise PydanticCustomError("time_format", "time '{value}' is not in HH:MM form", {"value": shown})


def to_zone(value: Any) -> str:
    """Read an IANA time zone's name (Asia/Vientiane)."""
    value = unwrap(value)
    if not isinstance(value, str):
        raise PydanticCustomError("zone_type", "should be a time zone name such as Asia/Vientiane")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError("zone_unknown", "unknown time zone '{value}'", {"value": value}) from None
    return value


#: One e-mail address, as a letter's To: line may hold it: no name, no list, no spaces or line breaks.
_EMAIL = re.compile(r"[^@\s,;<>()\[\]\\\"]+@[^@\s,;<>()\[\]\\\"]+\.[^@\s,;<>()\[\]\\\".]+")


def to_email(value: Any) -> str:
    """Read one e-mail address (zhu@un.org); a list, a name or a line break would reach the To: line."""
    value = unwrap(value)
    if not isinstance(value, str) or not _EMAIL.fullmatch(value.strip()):
        raise PydanticCustomError("email", "'{value}' is not one e-mail address (such as name@ministry.gov.la)",
                                  {"value": str(value)[:80].replace("\r", "\\r").replace("\n", "\\n")})
    return value.strip()


def to_date(value: Any) -> dt.date:
    """Read a date written YYYY-MM-DD (YAML reads most as dates already) within DATE_RANGE."""
    date = _parse_date(unwrap(value))
    if not DATE_RANGE[0] <= date <= DATE_RANGE[1]:
        raise PydanticCustomError("date_range", "date '{value}' is not between 1900 and 2199", {"value": str(date)})
    return date


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date_format", "date '{value}' is not in YYYY-MM-DD form", {"value": value})


def to_fact(value: Any) -> Any:
    """Accept what a text may name as {name}: a text, a date or a number."""
    if isinstance(value, (Text, dt.date, int, float)) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("fact_type", "should be a text, a date (YYYY-MM-DD) or a number")


#: A translatable text.
T = Annotated[Text, PlainValidator(to_text), WithJsonSchema({"type": "string"})]
#: A name, an id or a code: the string itself, never translated.
S = Annotated[str, BeforeValidator(unwrap)]
#: Ids that name something of the event: a form offers the event's people, organizations or languages.
PersonId = Annotated[str, BeforeValidator(unwrap), WithJsonSchema({"type": "string", "x-refers": "people"})]
OrgId = Annotated[str, BeforeValidator(unwrap), WithJsonSchema({"type": "string", "x-refers": "organizations"})]
LanguageId = Annotated[str, BeforeValidator(unwrap), WithJsonSchema({"type": "string", "x-refers": "languages"})]
Time = Annotated[dt.time, PlainValidator(to_time),
                 WithJsonSchema({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "examples": ["09:30"]})]
Email = Annotated[str, PlainValidator(to_email), WithJsonSchema({"type": "string", "format": "email"})]
#: Its schema's list of names (tzdata's) is added by tools/schemas.py: reading it at every start would cost time.
Zone = Annotated[str, PlainValidator(to_zone), WithJsonSchema({"type": "string", "examples": ["Asia/Vientiane"]})]
Date = Annotated[dt.date, PlainValidator(to_date), WithJsonSchema({"type": "string", "format": "date"})]
#: A length or a number of something: a whole number from 1 (0 or less would mean nothing, or be shown as such).
Count = Annotated[int, Field(ge=1)]
Fact = Annotated[Any, PlainValidator(to_fact), WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}]})]


class Model(BaseModel):
    """A part of the content: frozen once read, and no field it does not know."""

    # A field's docstring says what it means (the README's field reference and the JSON
    # Schemas); tools/schemas.py reads them. pydantic's use_attribute_docstrings would read this
    # package's source for every model at every start-up, a fifth of a build's start.
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True, strict=False)
