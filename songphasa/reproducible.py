"""Output that depends on its input only: one reading of SOURCE_DATE_EPOCH, one zip writer.

The reproducible-builds convention ``SOURCE_DATE_EPOCH`` (seconds since
1970) fixes the time stamped in every file; without it each kind of file has
its own fixed time (the event's day for documents, a constant for catalogs).
It is read here only, with one behaviour for a bad value: a plain error naming it.
Only the standard library is used: the no-op path of a build reads it too.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterable

from .errors import Problem, SongphasaError

#: The earliest and latest moments a zip entry's time can say (DOS dates: 1980 to 2107).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FIRST, _LAST = 315_532_800, 4_354_819_199

DateTime = tuple[int, int, int, int, int, int]


def source_date() -> dt.datetime | None:
    """Return SOURCE_DATE_EPOCH as a UTC moment, None when it is not set; say plainly what is wrong with it."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not _FIRST <= int(raw) <= _LAST:
        raise SongphasaError(Problem(
            "SOURCE_DATE_EPOCH", None, f"is '{raw[:40]}', not a whole number of seconds from 1980 to 2107",
            "set it to the seconds since 1970 of the moment the files should carry (e.g. 1637625600), or unset it"))
    return dt.datetime.fromtimestamp(int(raw), tz=dt.timezone.utc)


def fixed_moment(default: dt.datetime) -> dt.datetime:
    """The time a file carries: SOURCE_DATE_EPOCH if set, else the default given."""
    return source_date() or default


def zip_date_time(moment: dt.datetime | None) -> DateTime:
    """The time stamped on every entry of a zip: the moment in UTC (a zip time has no zone), 1980 at the earliest."""
    if moment is None:
        return ZIP_EPOCH
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return max((moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second), ZIP_EPOCH)


def zip_bytes(entries: Iterable[tuple[str, bytes]], date_time: DateTime, *, level: int = 6) -> bytes:
    """Zip entries in the order given, deflated, each with one fixed time and Unix mode 0644.

    The same entries give the same bytes on any machine: no clock time, no
    owner, no system-dependent field. Level 6 (zlib's own) takes half the
    time of level 9 for 2 % more bytes.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system makes the zip
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()
