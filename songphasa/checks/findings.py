"""Read back the findings of a batch of entries that has not changed since the checks last ran on it.

The registry's checks give the same findings for the same entries, with the
same glossary, names and settings, under the same code. A catalog's
translation checks and the source texts' checks are therefore run once per
batch: their findings are kept in the user's cache folder (sealed, like the
compiled templates), under the digest of everything the checks read, and an
unchanged catalog is not checked again. Spelling keeps its own answers
(dictionary.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import astuple
from pathlib import Path

from songphasa import cache
from songphasa.errors import Problem

from .entry import Entry, Terms
from .store import Store

#: Raise when what is kept, or what the digest covers, changes.
FORMAT = 1
#: The batches kept from earlier runs (a catalog, the source texts, per project and command).
LIMIT = 2_000

#: An entry and where its findings are placed: (file, line, entry).
Placed = tuple[str, int | None, Entry]


def digest(scope: str, release: bool, prefix: str, placed: Sequence[Placed]) -> str:
    """Hash everything the checks of a scope read in a batch, and where their findings go."""
    lent: dict[int, str] = {}  # the digest of each entry's terms (a batch shares one or two)
    rows = []
    for file, line, entry in placed:
        if id(entry.terms) not in lent:
            lent[id(entry.terms)] = _terms_digest(entry.terms)
        rows.append([file, line, entry.source, entry.translation, sorted(entry.flags), entry.source_lang,
                     entry.target_lang, entry.allow_zwsp, entry.percent_format, lent[id(entry.terms)]])
    return _hash([scope, release, prefix, rows])


def _terms_digest(terms: Terms) -> str:
    return _hash([[list(astuple(term)) for term in terms.glossary], sorted(terms.names)])


def _hash(data: object) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


class KnownFindings:
    """The findings of the batches checked before: made by the caller, kept by a long-lived session."""

    def __init__(self, store: Path | None = None, *, stored: bool = True) -> None:
        """Keep findings under ``store`` (the user's cache folder by default), or in memory only when not ``stored``."""
        folder = (store or cache.user_cache_dir() / "checks") if stored else None
        self._store = Store(folder / "findings.json" if folder is not None else None,
                            f"findings {FORMAT} {cache.code_hash()}", ("batches",), limit=LIMIT)

    def recall(self, batch: str) -> list[Problem] | None:
        """Return the findings of a batch (its digest) checked before, if it was."""
        kept = self._store.table("batches", (batch,)).get(batch)
        return [Problem(*fields) for fields in kept] if kept is not None else None

    def keep(self, batch: str, problems: Sequence[Problem]) -> None:
        """Keep the findings of a batch (its digest) for the next run, and store them."""
        self._store.table("batches", (batch,))[batch] = [list(astuple(problem)) for problem in problems]
        self._store.changed()
        self._store.save()


__all__ = ["FORMAT", "LIMIT", "KnownFindings", "Placed", "digest"]
