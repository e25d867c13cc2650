"""Keep tables of answers in one sealed file of the user's cache folder, read back only under the key they were made under.

What the checks work out from the same inputs comes out the same; a store
keeps it between runs, as the compiled templates are kept: sealed with
``cache.write_sealed`` under a key that names what the answers were made
of (a dictionary's files, the code, ...). A file this user did not seal, a
damaged one, or one made under another key is not read: the store starts
empty and is written again. The file grows with what is asked; past
``limit`` answers, only those this run asked for are written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from songphasa import cache


class Store:
    """Named tables of answers, read from a sealed file (or kept in memory when there is no file)."""

    def __init__(self, path: Path | None, key: str, tables: Sequence[str], *, limit: int = 50_000) -> None:
        """Read the tables kept at ``path`` under ``key``; start them empty when they cannot be trusted."""
        self.path, self.key, self.limit = path, key, limit
        self._tables: dict[str, dict[str, Any]] = {name: {} for name in tables}
        self._used: dict[str, set[str]] = {name: set() for name in tables}
        self._changed = False
        data = cache.read_sealed(path, key) if path is not None else None
        try:
            stored = json.loads(data) if data is not None else None
        except ValueError:
            stored = None
        if isinstance(stored, dict) and all(isinstance(stored.get(name), dict) for name in tables):
            self._tables = {name: stored[name] for name in tables}
        self.read_back = any(self._tables.values())
        """Whether answers of an earlier run were read (under this very key)."""

    def table(self, name: str, keys: Iterable[str]) -> dict[str, Any]:
        """Return a table to read or add the answers about ``keys`` in (they count as asked for by this run)."""
        self._used[name].update(keys)
        return self._tables[name]

    def changed(self) -> None:
        """Note that answers were added: ``save`` writes them."""
        self._changed = True

    def save(self) -> None:
        """Write the tables if answers were added (a file that cannot be written is skipped)."""
        if self.path is None or not self._changed:
            return
        tables = self._tables
        if sum(len(table) for table in tables.values()) > self.limit:
            tables = {name: {key: value for key, value in table.items() if key in self._used[name]}
                      for name, table in tables.items()}
        cache.write_sealed(self.path, self.key, json.dumps(tables, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        self._changed = False


__all__ = ["Store"]
