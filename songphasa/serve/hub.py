"""The session's one owner of what changes: the state on record, its numbered changes, who listens.

Every change — a decision saved on a page, a `decide` on the command line, an
edit of a catalog — is read back from the files and becomes one numbered
event carrying the whole new state. A viewer that lost the network sends the
number it saw last (``Last-Event-ID``) and gets every event after it; one whose
number is unknown (the server restarted) gets the latest state. Nothing is
told before it is on disk: a decision is published only after `decide` wrote
every file, and a write that failed publishes nothing.

The previews are told apart: whenever anything a page is made from changed
(any content file, a catalog, the project's templates), one numbered ``files``
event carries the files' new version, so that an open preview fetches its
pages again; the decision views do not listen to it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..cache import CACHE_FOLDER
from ..content import minutes
from ..content.load import load_event
from ..errors import SongphasaError
from ..files import atomic_write, atomic_write_all, own_folder, read_named
from ..output.record import DEFAULT_FORMATS
from ..pipeline import BuildResult, build
from ..session import Session
from .preview import Previews
from .state import RECOMMENDATIONS, Refused, State, files_version, read_state, record

#: How many changes are kept for viewers that come back (each holds a whole state: a few KiB).
KEPT = 500
#: Where the recommendation under discussion is kept, so that a restarted server shows it again.
SHOWN = (CACHE_FOLDER, "session.json")


@dataclass(frozen=True)
class Change:
    """One numbered change: the state after it, and which recommendations it touched."""

    id: str
    number: int  # counts the changes since the server started
    state: State
    changed: tuple[str, ...]
    current: str | None
    files: str | None = None  # a change of the files the pages are made from: their new version (no new state)

    @cached_property
    def message(self) -> bytes:
        """The change as a Server-Sent Event (``event: state``, the whole state as JSON); made once for every viewer.

        A change of the files alone is ``event: files`` with their version (``{"files": "…"}``).
        """
        if self.files is not None:
            return f"id: {self.id}\nevent: files\ndata: {json.dumps({'files': self.files})}\n\n".encode()
        data = json.dumps({"changed": list(self.changed), "current": self.current, **self.state.as_json()},
                          ensure_ascii=False, separators=(",", ":"))
        return f"id: {self.id}\nevent: state\ndata: {data}\n\n".encode()


class Hub:
    """The state on record, the changes since the server started and the viewers listening."""

    def __init__(self, root: Path, *, output_link: bool = False) -> None:
        # The process's session: its lock, and the parses of the content files that did not change.
        self.session = Session(root, rounds=True, output_link=output_link)
        self.root = self.session.root
        self.lock = self.session.lock
        self.boot = secrets.token_hex(3)  # a restarted server's numbers are not mistaken for these
        self._mutex = threading.Lock()
        self._count = 0
        self._log: deque[Change] = deque(maxlen=KEPT)
        self._undo: tuple[str, dict[Path, bytes], str] | None = None  # (version after, files before, id)
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Change]]] = set()
        self._stated: Change | None = None  # the last change that carried a new state
        #: Every page of the event as the files hold them (the translate view's and the preview's).
        self.previews = Previews(Session(self.root, lock=self.session.lock))
        with self.lock():
            self._files = files_version(self.session.project, every_content_file=True)
            state = self._read()
        # The one shown before a restart; else, until the secretariat decides or shows one, the first still
        # to be decided, else the last.
        kept = self._kept_current()
        first = kept if kept and state.find(kept) else next(
            (r.id for r in state.recommendations if r.status == "proposed"),
            state.recommendations[-1].id if state.recommendations else None)
        self._publish(state, (), current=first)

    # --- what is on record ---

    @property
    def latest(self) -> Change:
        with self._mutex:
            return self._log[-1]

    @property
    def files(self) -> str:
        """The version of every file the pages are made from, as last told."""
        with self._mutex:
            return self._files

    @property
    def state(self) -> State:
        return self.latest.state

    @property
    def current(self) -> str | None:
        """The recommendation under discussion: the last one decided, or the one the secretariat showed."""
        return self.latest.current

    def change(self, event_id: str | None) -> Change | None:
        """The change with this id, if it is still kept."""
        with self._mutex:
            return next((c for c in self._log if c.id == event_id), None)

    def since(self, event_id: str | None) -> list[Change]:
        """The changes after the one a viewer saw last; when that one is unknown or absent, the latest state
        (and the latest change of the files, if it came after)."""
        with self._mutex:
            ids = [c.id for c in self._log]
            if event_id in ids:
                return list(self._log)[ids.index(event_id) + 1:]
            assert self._stated is not None  # the first change, made when the hub starts, carries a state
            return [self._stated] + ([self._log[-1]] if self._log[-1] is not self._stated else [])

    # --- changing it ---

    def decide(self, rec_id: str, body: Any) -> State:
        """Record a decision (as `decide` does, under the project's lock), then tell every viewer.

        Raise :class:`Refused` for a request that cannot be taken; nothing is written or told then.
        """
        with self.lock():
            # Read under the lock: a `decide` on the command line may have written a moment ago.
            state = self.state if files_version(self.session.project) == self.state.version else self._read()
            before = self._decision_files()
            try:
                record(self.root, state, rec_id, body, by="session", memo=self.session.parses)
            except OSError as exc:
                raise Refused(f"The decision could not be written ({exc.strerror or type(exc).__name__}): nothing "
                              "was changed. Check that the disk has space and the project folder is writable, "
                              "then save again.", 500) from None
            new = self._read()
            self._undo = (new.version, before, rec_id)
            # Told while the lock is held: a watcher's read of the same files cannot come first.
            self._publish(new, (rec_id,), current=rec_id)
            self._tell_files()
        return new

    def undo(self) -> State:
        """Put back the files as they were before the last decision saved here, if nothing changed them since."""
        with self.lock():
            if self._undo is None:
                raise Refused("There is nothing to undo: no decision was saved here since the server started "
                              "(or the last one was undone already).")
            version, files, rec_id = self._undo
            if files_version(self.session.project) != version:
                raise Refused(f"The files changed after the last save of {rec_id} (another decision, or an edit): "
                              "undo would overwrite that, so nothing was changed.", 409)
            entry = minutes.Entry(minutes.now(self._zone()), rec_id, "undone", "session")
            try:
                atomic_write_all({**files, self.root / minutes.LOG: minutes.appended(self.root, entry)},
                                 root=self.session.project.root)
            except SongphasaError as exc:
                raise Refused(" ".join(str(p) for p in exc.problems)) from None
            except OSError as exc:
                raise Refused(f"The undo could not be written ({exc.strerror or type(exc).__name__}): nothing was "
                              "changed.", 500) from None
            self._undo = None
            new = self._read()
            self._publish(new, (rec_id,), current=rec_id)
            self._tell_files()
        return new

    def summary(self, *, pdf: bool) -> BuildResult:
        """Build every document from what was recorded (the recommendations, the outcome report…).

        A whole build, under the project's lock like every write: the session is not told of every edit
        made on disk, so it builds from the files as they are.
        """
        self.session.forget()
        try:
            return build(self.session, formats=(*DEFAULT_FORMATS, "pdf") if pdf else DEFAULT_FORMATS)
        except SongphasaError as exc:
            raise Refused("The documents could not be made: " + " ".join(str(p) for p in exc.problems)) from None
        except OSError as exc:
            raise Refused(f"The documents could not be written ({exc.strerror or type(exc).__name__}): output/ is "
                          "as it was. Check that the disk has space and the folder is writable.", 500) from None

    def _decision_files(self) -> dict[Path, bytes]:
        """The bytes of every file a decision may write (the recommendations, the template, each catalog)."""
        project = self.session.project
        paths = [project.root / RECOMMENDATIONS, project.pot_path, *sorted(project.locales.glob("*/LC_MESSAGES/*.po"))]
        return {path: path.read_bytes() for path in paths if path.is_file()}

    def show(self, rec_id: str) -> None:
        """Put a recommendation on the projector and the booths' screens."""
        if self.state.find(rec_id) is None:
            raise Refused(f"There is no recommendation '{rec_id[:40]}'.")
        self._publish(self.state, (), current=rec_id)

    def log(self) -> tuple[list[minutes.Entry], list[str]]:
        """The decision log (oldest first) and what makes part of it unreadable."""
        entries, problems = minutes.read_log(self.root)
        return entries, [str(p) for p in problems]

    def _zone(self) -> str:
        return load_event(self.root, memo=self.session.parses).event.timezone

    def _kept_current(self) -> str | None:
        """The recommendation a server showed last, as it kept it in the cache (None: none, or unreadable)."""
        folder = own_folder(self.root, SHOWN[0])
        if folder is None:
            return None
        try:
            kept = json.loads(read_named(folder / SHOWN[1], SHOWN[1], "", limit=4096))
        except (SongphasaError, ValueError):
            return None
        current = kept.get("current") if isinstance(kept, dict) else None
        return current if isinstance(current, str) else None

    def _keep_current(self, rec_id: str) -> None:
        """Keep the recommendation under discussion for a restart (a cache: a failure to write it loses little)."""
        folder = own_folder(self.root, SHOWN[0])
        if folder is None:
            return
        try:
            folder.mkdir(exist_ok=True)
            atomic_write(folder / SHOWN[1], json.dumps({"current": rec_id}), durable=False)
        except OSError:
            pass

    def refresh(self) -> bool:
        """Read the files again (they changed on disk); tell the viewers when the state differs, and the previews
        when any file a page is made from does. Return whether the state changed."""
        with self.lock():
            told = self._refresh_state()
            self._tell_files()
        return told

    def _tell_files(self) -> None:
        """Tell the previews the files' version when it is not the one told last (the caller holds the lock)."""
        version = files_version(self.session.project, every_content_file=True)
        with self._mutex:
            if version == self._files:
                return
            self._files = version
        self._publish(self.state, (), files=version)

    def _refresh_state(self) -> bool:
        """Read the state again and tell it when it differs (the caller holds the lock); return whether it did."""
        if files_version(self.session.project) == self.state.version and not self.state.problems:
            return False  # our own decision, told already
        try:
            state = self._read()
        except SongphasaError as exc:  # a hand edit that does not validate: the last good state stays, said
            old = self.state
            problems = tuple(str(p) for p in exc.problems)
            if problems == old.problems:
                return False
            state = State(old.title, old.source_language, old.languages, old.recommendations, old.version, problems)
        except OSError:  # a file replaced meanwhile: the next change reads it
            return False
        if state.version == self.state.version and state.problems == self.state.problems:
            return False
        changed = tuple(r.id for r in state.recommendations if (was := self.state.find(r.id)) is None
                        or was.version != r.version)
        # One recommendation decided elsewhere (`decide` on the command line) is the one under discussion now.
        self._publish(state, changed, current=changed[0] if len(changed) == 1 else None)
        return True

    def _read(self) -> State:
        return read_state(self.root, memo=self.session.parses)

    def _publish(self, state: State, changed: tuple[str, ...], *, current: str | None = None,
                 files: str | None = None) -> Change:
        with self._mutex:
            self._count += 1
            previous = self._log[-1].current if self._log else None
            change = Change(f"{self.boot}-{self._count}", self._count, state, changed, current or previous, files)
            self._log.append(change)
            if files is None:
                self._stated = change
            listeners = list(self._listeners)
        if change.current is not None and change.current != previous and self._count > 1:
            self._keep_current(change.current)
        for loop, queue in listeners:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, change)
            except RuntimeError:  # that viewer's loop has closed
                self.unlisten((loop, queue))
        return change

    # --- who listens ---

    def listen(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Queue[Change]]:
        """Start hearing every change (in the running event loop); stop with :meth:`unlisten`."""
        listener: tuple[asyncio.AbstractEventLoop, asyncio.Queue[Change]] = (asyncio.get_running_loop(), asyncio.Queue())
        with self._mutex:
            self._listeners.add(listener)
        return listener

    def unlisten(self, listener: tuple[asyncio.AbstractEventLoop, asyncio.Queue[Change]]) -> None:
        with self._mutex:
            self._listeners.discard(listener)
