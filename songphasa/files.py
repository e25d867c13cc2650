"""Read a project's files as untrusted input; write files whole or not at all; one command writes at a time.

A project folder may come from someone else: only regular files inside it
are read, a file named on the command line only if it is a regular file, and
each within a size bound. Every file Songphasa writes goes through
:func:`atomic_write_all` (or :func:`atomic_write`, one file): written beside
its target, synced, renamed into place, so a crash leaves the old file whole.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .errors import ContentError, Problem, relative

#: The most any one input file may have (a content file has its own, smaller limit).
MAX_INPUT_BYTES = 64 * 1024 * 1024


def check_input(path: Path, root: Path, *, folder: bool = False) -> Path:
    """Return the real path of a file the build may read, or say why it may not.

    Only regular files inside the project are read: a link that leads out of
    it would publish someone else's file, a pipe would hang the build and a
    device would fill the memory.
    """
    name = relative(path, root)
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if os.path.islink(path):
            raise ContentError(Problem(name, None, "is a link to a file that does not exist",
                                       "replace the link with the file itself")) from None
        raise ContentError(Problem(name, None, "file not found", "create it")) from None
    except (OSError, RuntimeError):  # a loop of links
        raise ContentError(Problem(name, None, "is a link that leads nowhere (a loop of links)",
                                   "replace the link with the file itself")) from None
    if not real.is_relative_to(root.resolve()):
        raise ContentError(Problem(name, None, "is a link to a file outside the project",
                                   "copy the file into the project instead of linking to it"))
    mode = os.stat(real).st_mode
    if not (stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)):
        raise ContentError(Problem(name, None, "is not a regular file (a folder, a pipe or a device)",
                                   "replace it with a regular file"))
    return real


def read_input(path: Path, root: Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Read a file of the project: a regular file inside it, of at most limit bytes."""
    real = check_input(path, root)
    return _read_regular(real, relative(path, root), "replace it with a regular file", limit,
                         "check that the right file is in the project")


def check_named(path: Path, name: str, hint: str) -> None:
    """Say why a file named on the command line cannot be read, if it cannot.

    It may lie anywhere, but must be a regular file (a pipe would hang the
    command, a device fill the memory); ``hint`` says what to give instead.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        what = "is a link to a file that does not exist" if os.path.islink(path) else "file not found"
        raise ContentError(Problem(name, None, what, hint)) from None
    except OSError as exc:  # a loop of links, a folder without permission
        raise ContentError(Problem(name, None, f"cannot read the file ({exc.strerror})", hint)) from None
    if stat.S_ISDIR(mode):
        raise ContentError(Problem(name, None, "is a folder, not a file", hint))
    if not stat.S_ISREG(mode):
        raise ContentError(Problem(name, None, "is not a regular file (a pipe or a device)", hint))


def read_named(path: Path, name: str, hint: str, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Read a file named on the command line (a CAT tool's XLIFF or TMX file): a regular file of at most limit bytes."""
    check_named(path, name, hint)
    try:
        return _read_regular(path, name, hint, limit, "check that the right file is named")
    except OSError as exc:
        raise ContentError(Problem(name, None, f"cannot read the file ({exc.strerror})", hint)) from None


def _read_regular(path: Path, name: str, hint: str, limit: int, too_big: str) -> bytes:
    # O_NONBLOCK: should the file be swapped for a pipe after the check, opening it must not hang.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ContentError(Problem(name, None, "is not a regular file (a pipe or a device)", hint))
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ContentError(Problem(name, None, f"file is more than {limit // (1024 * 1024)} MiB", too_big))
    return data


# --- writing ---------------------------------------------------------------------------------

def read_regular(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes | None:
    """Read a file the tool made itself (a record, a cache entry): None if it is a link, no regular file or too large.

    A received project's output/ or cache may hold a link to /dev/zero or a sparse file of 100 GB in
    place of one: read, either would fill the memory.
    """
    try:
        status = os.lstat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        return path.read_bytes()
    except OSError:
        return None


def holds(path: Path, data: bytes) -> bool:
    """Tell whether a file already holds exactly these bytes; a link or a device never does (nor is read).

    A received project's ``messages.mo`` linked to /dev/zero was read until the memory ran out.
    """
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and status.st_size == len(data) and path.read_bytes() == data


def within(path: Path, root: Path) -> bool:
    """Tell whether a file written at ``path`` lands inside ``root``: its nearest existing folder, links followed, does.

    A folder of a received project (``locales/``, ``locales/th``) may be a link to somewhere else on
    the machine: writing through it would put files, or replace them, outside the project.
    """
    folder = path.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    return folder.resolve().is_relative_to(root.resolve())


def atomic_write_all(files: Mapping[Path, str | bytes], *, durable: bool = True, root: Path | None = None) -> list[Path]:
    """Write several files all or nothing; return those whose bytes changed.

    ``root``: the project the files belong to; a file whose folder is a link leading out of it is refused
    (nothing is written), as a link that came inside the project is never written through.

    Every new file is first written whole beside its target (and synced to
    the disk unless ``durable`` is off, for caches whose entries are checked
    when read); only then are they renamed into place, one after the other.
    A full disk or an unwritable folder fails in the first phase, with nothing
    changed; what can still go wrong in the second is a rename, which needs no space.
    """
    outside = [path for path in files if root is not None and not within(path, root)]
    if outside and root is not None:
        raise ContentError([Problem(relative(path, root), None, "lies in a folder that is a link to outside the "
                                    "project: nothing was written", "replace the link with the folder itself")
                            for path in outside])
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            if holds(path, raw):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    return [path for _, path in staged]


def atomic_write(path: Path, data: str | bytes, *, durable: bool = True, root: Path | None = None) -> bool:
    """Write one file whole or not at all; False (and nothing touched) when it already holds exactly this."""
    return bool(atomic_write_all({path: data}, durable=durable, root=root))


#: A file of atomic_write before its rename: ``.name.`` + mkstemp's 8 characters + ``.tmp``.
HALF_WRITTEN = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def is_half_written(name: str) -> bool:
    """Tell a file atomic_write left before its rename (a killed command's) from a real one."""
    return bool(HALF_WRITTEN.match(name))


# --- one command at a time -------------------------------------------------------------------

#: The lock file of a project, in its git-ignored cache folder.
LOCK_NAME = ".songphasa-cache/lock"
#: Where commands holding the lock keep their temporary folders (LibreOffice's, decide's).
SCRATCH_NAME = ".songphasa-cache/tmp"


class ProjectLock:
    """The project's write lock: one command that writes at a time, the others queue.

    An advisory lock (flock) on a file in the project, not a process id: the
    kernel releases it when its holder ends, however it ends, and it works
    between containers that share the folder but not their process ids.
    Re-entrant for its owner (a build inside ``distribute``), whose threads
    (``watch``, ``serve``) take turns. Taking it sweeps what killed commands left.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._depth = 0
        self._fd: int | None = None
        self._guard = threading.RLock()

    @property
    def held(self) -> bool:
        return self._depth > 0

    @contextmanager
    def __call__(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        with self._guard:
            if self._depth == 0:
                self._take(on_wait)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    def _take(self, on_wait: Callable[[], None] | None) -> None:
        path = self.root / LOCK_NAME
        for made in (path.parent, path):  # a link that came with the project is removed, never followed
            if os.path.islink(made) or (made == path.parent and os.path.lexists(made) and not made.is_dir()):
                remove(made)
        path.parent.mkdir(exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        sweep_leftovers(self.root)

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None


# --- what a killed command leaves behind -------------------------------------------------------

def own_folder(root: Path, *parts: str) -> Path | None:
    """The project's own folder ``root/parts…``, or None when a part of that path is a link or not a folder.

    What the tool writes into or deletes from a project's cache goes through
    here: a link that came inside a received project (``.songphasa-cache/docx``
    pointing at someone's documents) is never written or deleted through.
    A part that does not exist yet is made when first written.
    """
    path = root
    for part in parts:
        path = path / part
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return None
        except FileNotFoundError:
            continue
        except OSError:
            return None
    return path


def real_folder(path: Path) -> bool:
    """Tell a folder from a link to one (never sweep or write through a link someone planted)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


@contextmanager
def scratch_folder(prefix: str, root: Path | None = None) -> Iterator[Path]:
    """Give a temporary folder, removed afterwards.

    With ``root`` (a project whose lock the caller holds) the folder is in the
    project's cache, so that what a killed command leaves there (SIGKILL runs
    no clean-up) is swept by the next command that takes the lock. Without
    it, or when that folder is not a real one, it is in the system's.
    """
    base = None
    if root is not None:
        cache, candidate = root / ".songphasa-cache", root / SCRATCH_NAME
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            base = candidate if real_folder(cache) and real_folder(candidate) else None
        except OSError:
            base = None
    with tempfile.TemporaryDirectory(prefix=prefix, dir=base) as folder:
        yield Path(folder)


def sweep_leftovers(root: Path) -> None:
    """Remove what commands of this project killed midway left: scratch and staging folders, half-written files.

    Called with the project's lock held, so nothing found is another
    command's work in progress. Links are removed, never followed.
    """
    cache = root / ".songphasa-cache"
    if real_folder(cache) and real_folder(root / SCRATCH_NAME):
        for path in sorted((root / SCRATCH_NAME).iterdir()):
            remove(path)
    output = root / "output"
    places = [(root, "output")]  # a linked output/ is not followed: a build allowed to (--output-link) sweeps there
    if real_folder(output):
        places.append((output, "distribution"))
    for parent, name in places:
        for path in sorted([*parent.glob(f".{name}-new-*"), *parent.glob(f".{name}-old-*")]):
            remove(path)
    for folder in (root / "content", root / "locales", cache):
        if not real_folder(folder):
            continue
        for directory, subdirs, names in os.walk(folder):
            subdirs[:] = [d for d in subdirs if not (directory == str(cache) and d == "tmp")]
            for name in names:
                if is_half_written(name):
                    remove(Path(directory, name))


def remove(path: Path) -> None:
    """Remove a file, a link or a whole real folder; a link is removed, never followed."""
    try:
        if real_folder(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass
