"""Rebuild whenever an input of the build changes (``python build.py watch``).

The whole project folder is watched (watchfiles), so that a content/ put
in place of another (a `git checkout`, an editor's rename), a templates/
made after the start and a speech text anywhere in the project are seen;
what the build writes (output/, the cache, compiled catalogs) and editors'
and our own temporary files are not. Each change gives one :class:`Rebuild`; the
command line prints it. A failed build is reported like any other and the
watch goes on: output/ keeps the last good build, as a failed build never
touches it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from . import cache
from .errors import Problem, SongphasaError
from .output.record import DEFAULT_FORMATS, fingerprint, up_to_date
from .pipeline import BuildResult, build
from .project import Project
from .session import Session


class InputFilter(watchfiles.DefaultFilter):
    """Pass the changes that can change a build; leave out what builds and editors write aside."""

    def __init__(self, root: Path | None = None) -> None:
        """``root``: the project, whose output/, cache and staging folders are the build's own writing."""
        super().__init__()
        self.root = root

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if self.root is not None:
            try:
                top = Path(path).relative_to(self.root).parts[:1]
            except ValueError:
                top = ()
            if top and (top[0] in ("output", ".songphasa-cache") or top[0].startswith((".output-new-", ".output-old-"))):
                return False
        return super().__call__(change, path)

    ignore_entity_patterns = (
        *watchfiles.DefaultFilter.ignore_entity_patterns,
        r"\.mo$",  # written by the build from the .po beside it
        r"^\..*\.tmp$",  # atomic_write's file before it is renamed into place
        r"^4913$",  # vim's probe of whether a folder is writable
        r"^#.*#$",  # Emacs's auto-save
    )


@dataclass
class Rebuild:
    """What one round of the watch did."""

    changed: list[str]  # project-relative paths; empty for the first build
    seconds: float
    watched: list[str] = field(default_factory=list)  # e.g. ["content/", "locales/"]
    result: BuildResult | None = None  # None: failed, or output/ was already up to date
    problems: list[Problem] = field(default_factory=list)  # the build failed on these
    error: BaseException | None = None  # a bug of ours; the watch goes on

    @property
    def what(self) -> str:
        """Name what changed, e.g. ``content/agenda.yaml changed``."""
        if not self.changed:
            return "The first build"
        shown = ", ".join(self.changed[:5]) + (f" and {len(self.changed) - 5} more" if len(self.changed) > 5 else "")
        return f"{shown} changed"


def watched_folders(project: Project) -> list[Path]:
    """Return the folders whose files are inputs of the build (those that exist)."""
    folders = [project.content, project.locales, project.root / "templates"]
    return [folder for folder in folders if folder.is_dir()]


def rebuilds(root: Path, *, release: bool = False, stop: threading.Event | None = None,
             output_link: bool = False) -> Iterator[Rebuild]:
    """Build once, then again after every change to an input; yield what each round did.

    Ends when ``stop`` is set (checked every 0.2 s); Ctrl-C raises KeyboardInterrupt.
    """
    session = Session(root, rounds=True, output_link=output_link)
    project = session.project
    # Hash the code this process runs now, before anyone can edit it: the
    # build record must describe the code that made the files.
    cache.code_hash()
    folders = watched_folders(project)
    watched = [folder.relative_to(project.root).as_posix() + "/" for folder in folders]
    # Waking every 0.2 s (an empty set) lets the watcher start before the first
    # build, so that an edit made while it runs is not lost, and lets `stop` end it.
    # step: a change is handed over once 10 ms pass without another (watchfiles waits 50 ms by
    # default); an editor's save (a temporary file renamed into place) takes well under that.
    changes_seen = watchfiles.watch(project.root, watch_filter=InputFilter(project.root), stop_event=stop,
                                    rust_timeout=200, yield_on_timeout=True, step=10)
    if next(changes_seen, None) is None:  # stopped already
        return
    first = _round(session, [], release)  # the session keeps everything loaded between rounds
    first.watched = watched
    yield first
    for changes in changes_seen:
        changed = _changed(changes, project.root)
        if changed:
            yield _round(session, changed, release)


def _round(session: Session, changed: list[str], release: bool) -> Rebuild:
    started = time.perf_counter()
    session.note_changes(changed)
    # One fingerprint serves both: it is taken before the build reads any input.
    try:
        inputs: str | None = fingerprint(session.root, release=release, formats=DEFAULT_FORMATS)
    except OSError:  # a file removed meanwhile: the build takes its own and reports what is wrong
        inputs = None
    except SongphasaError as exc:  # a setting the build cannot use (SOURCE_DATE_EPOCH)
        return Rebuild(changed, time.perf_counter() - started, problems=exc.problems)
    if inputs is not None and up_to_date(session.root, release=release, fingerprint_now=inputs) is not None:
        return Rebuild(changed, time.perf_counter() - started)
    try:
        result = build(session, release=release, inputs=inputs)
    except SongphasaError as exc:  # the session forgot what it kept: the next round builds everything
        return Rebuild(changed, time.perf_counter() - started, problems=exc.problems)
    except Exception as exc:  # noqa: BLE001 — reported, and the next change gets its chance
        return Rebuild(changed, time.perf_counter() - started, error=exc)
    return Rebuild(changed, time.perf_counter() - started, result=result)


def _changed(changes: set[tuple[watchfiles.Change, str]], root: Path) -> list[str]:
    """Name the files that changed, leaving out those made and removed meanwhile (editors' temp files)."""
    kinds: dict[str, set[watchfiles.Change]] = {}
    for kind, path in changes:
        kinds.setdefault(path, set()).add(kind)
    return sorted(_relative(Path(path), root) for path, seen in kinds.items()
                  if not ({watchfiles.Change.added, watchfiles.Change.deleted} <= seen and not Path(path).exists()))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


__all__ = ["InputFilter", "Rebuild", "rebuilds", "watched_folders"]
