"""Where an event project's files are, and how files are written safely.

An event project is a folder with content/ and locales/ (and optionally its
own templates/, which take precedence over the built-in ones). The
repository's root is the sample event project.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import ContentError, Problem, relative

#: The templates that come with Songphasa, shipped inside the package (a wheel has them too).
BUILTIN_TEMPLATES = Path(str(resources.files("songphasa") / "templates"))


@dataclass(frozen=True)
class Project:
    """The folders and files of one event project."""

    root: Path

    @classmethod
    def at(cls, root: Path) -> "Project":
        """Open the event project in a folder, or say why it is not one."""
        root = root.resolve()
        if not (root / "content").is_dir():
            raise ContentError(Problem(str(root.name or root), None, "this folder is not an event project: it has no content/ folder",
                                       "run the command in the project folder or pass --project DIR"))
        return cls(root)

    @staticmethod
    def looks_like(root: Path) -> bool:
        """Tell whether a folder is an event project (without saying why not)."""
        return (root / "content").is_dir()

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def cache(self) -> Path:
        """Where builds keep what they can reuse (compiled templates, DOCX); safe to delete."""
        return self.root / ".songphasa-cache"

    @property
    def pot_path(self) -> Path:
        return self.locales / "messages.pot"

    def po_path(self, lang: str) -> Path:
        return self.locales / lang / "LC_MESSAGES" / "messages.po"

    def mo_path(self, lang: str) -> Path:
        return self.locales / lang / "LC_MESSAGES" / "messages.mo"

    @property
    def template_dirs(self) -> list[Path]:
        own = self.root / "templates"
        dirs = [own] if own.is_dir() else []
        if BUILTIN_TEMPLATES.resolve() != own.resolve():
            dirs.append(BUILTIN_TEMPLATES)
        return dirs

    def find_template_file(self, name: str) -> Path:
        """Return a non-Jinja file of the templates (stylesheet, reference.docx, fonts).

        A project's own file must be a regular file inside its templates/ folder.
        """
        for directory in self.template_dirs:
            if os.path.lexists(directory / name):
                if directory.resolve() != BUILTIN_TEMPLATES.resolve():
                    check_input(directory / name, self.root, folder=(directory / name).is_dir())
                return directory / name
        raise ContentError(Problem(f"templates/{name}", None, "file not found", "restore it from the Songphasa repository"))

    def read_template_file(self, path: Path) -> bytes | None:
        """Read a file of the templates (None when absent); a project's own only if it is a regular file in it."""
        if not os.path.lexists(path):
            return None
        if any(Path(os.path.abspath(path)).is_relative_to(builtin) for builtin in (BUILTIN_TEMPLATES, BUILTIN_TEMPLATES.resolve())):
            return path.read_bytes()
        return read_input(path, self.root)


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
    # O_NONBLOCK: should the file be swapped for a pipe after the check, opening it must not hang.
    fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ContentError(Problem(relative(path, root), None, "is not a regular file (a folder, a pipe or a device)",
                                       "replace it with a regular file"))
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ContentError(Problem(relative(path, root), None, f"file is more than {limit // (1024 * 1024)} MiB",
                                   "check that the right file is in the project"))
    return data


def check_named(path: Path, name: str, hint: str) -> None:
    """Say why a file named on the command line cannot be read, if it cannot: it may lie anywhere, but must be
    a regular file (a pipe would hang the command, a device fill the memory). `hint` says what to give instead."""
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
        # O_NONBLOCK: should the file be swapped for a pipe after the check, opening it must not hang.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ContentError(Problem(name, None, "is not a regular file (a pipe or a device)", hint))
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ContentError(Problem(name, None, f"cannot read the file ({exc.strerror})", hint)) from None
    if len(data) > limit:
        raise ContentError(Problem(name, None, f"file is more than {limit // (1024 * 1024)} MiB",
                                   "check that the right file is named"))
    return data


def atomic_write_all(files: dict[Path, str | bytes]) -> list[Path]:
    """Write several files all or nothing; return those whose bytes changed.

    Every new file is first written whole beside its target and synced; only
    then are they renamed into place, one after the other. A full disk or an
    unwritable folder fails in the first phase, with nothing changed; what can
    still go wrong in the second is a rename, which does not need space.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            if path.exists() and path.read_bytes() == raw:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
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


def atomic_write(path: Path, data: str | bytes) -> bool:
    """Write a file by writing a temporary file beside it and renaming it.

    Return False (and touch nothing) when the file already holds exactly this.
    A crash midway leaves the old file whole, never a half-written one.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


#: The lock file of a project, in its git-ignored cache folder.
LOCK_NAME = ".songphasa-cache/lock"
#: Where commands holding the lock keep their temporary folders (LibreOffice's, decide's).
SCRATCH_NAME = ".songphasa-cache/tmp"
_locked_root: ContextVar[Path | None] = ContextVar("songphasa_locked_root", default=None)
_held: dict[Path, int] = {}  # project root -> depth, for this process
_held_guard = threading.RLock()


@contextmanager
def project_lock(root: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the project's write lock: one command that writes at a time, the others queue.

    An advisory lock (flock) on a file in the project, not a process id: it is
    released by the kernel when its holder ends, however it ends, and works
    between containers that share the folder but not their process ids.
    Re-entrant within a process (a build inside ``distribute``), and between
    threads of it (``watch``), which take turns.
    """
    key = root.resolve()
    with _held_guard:
        if _held.get(key):
            _held[key] += 1
            try:
                yield
            finally:
                _held[key] -= 1
            return
        path = key / LOCK_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(fd, fcntl.LOCK_EX)
            _held[key] = 1
            token = _locked_root.set(key)
            try:
                sweep_leftovers(key)
                yield
            finally:
                _locked_root.reset(token)
                _held.pop(key, None)
        finally:
            os.close(fd)  # releases the lock


# --- what a killed command leaves behind -------------------------------------------------------

#: A file of atomic_write (or a cache write) before its rename: ``.name.`` + mkstemp's 8 characters + ``.tmp``.
_HALF_WRITTEN = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def _real_folder(path: Path) -> bool:
    """Tell a folder from a link to one (never sweep through a link someone planted)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _scratch_base(root: Path | None) -> Path | None:
    """Return the project's scratch folder (made if needed), or None to use the system's."""
    if root is None:
        return None
    cache, base = root / ".songphasa-cache", root / SCRATCH_NAME
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base if _real_folder(cache) and _real_folder(base) else None


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """Give a temporary folder, removed afterwards.

    While a command holds the project's lock the folder is in the project's
    cache, so that what a killed command leaves there (SIGKILL runs no
    clean-up) is swept by the next command that takes the lock. Without the
    lock it is in the system's temporary folder.
    """
    with tempfile.TemporaryDirectory(prefix=prefix, dir=_scratch_base(_locked_root.get())) as folder:
        yield Path(folder)


def sweep_leftovers(root: Path) -> None:
    """Remove what commands of this project killed midway left: scratch and staging folders, half-written files.

    Called with the project's lock held, so nothing found is another
    command's work in progress. Links are removed, never followed.
    """
    cache = root / ".songphasa-cache"
    if _real_folder(cache) and _real_folder(root / SCRATCH_NAME):
        for path in sorted((root / SCRATCH_NAME).iterdir()):
            _remove(path)
    output = root / "output"
    places = [(root, "output")]
    if output.is_symlink() and output.is_dir():  # write_tree stages beside what the link points to
        real = output.resolve()
        places = [(real.parent, real.name)]
        output = real
    if _real_folder(output):
        places.append((output, "distribution"))
    for parent, name in places:
        for path in sorted([*parent.glob(f".{name}-new-*"), *parent.glob(f".{name}-old-*")]):
            _remove(path)
    for folder in (root / "content", root / "locales", cache):
        if not _real_folder(folder):
            continue
        for directory, subdirs, names in os.walk(folder):
            subdirs[:] = [d for d in subdirs if not (directory == str(cache) and d == "tmp")]
            for name in names:
                if _HALF_WRITTEN.match(name):
                    _remove(Path(directory, name))


def _remove(path: Path) -> None:
    try:
        if _real_folder(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass
