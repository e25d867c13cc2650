"""Reuse what was made before, when it can be trusted: sealed entries, hashes of what made them.

Everything in a project folder is input, its cache included (a project may
come from someone else): every cache entry is sealed with an HMAC under a key
kept in the user's own cache folder (``$XDG_CACHE_HOME/songphasa``), so an
entry the project brought, or a damaged one, is not used but made again.
Compiled templates, which Jinja stores as pickle and marshal data, live only
in that user folder, never in the project. Content hashes decide, never file times.

The DOCX cache, ``.songphasa-cache/docx/`` in the project, keeps the bytes of
each DOCX keyed by the hash of what makes them (the article's HTML, the
reference document, the DocxSettings, the code): editing one string rewrites
only the DOCX whose HTML changed. Only the standard library is imported at
the top: the no-op path of a build (output/record.py) uses this module.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import reproducible
from .files import MAX_INPUT_BYTES, is_half_written, own_folder, read_regular

if TYPE_CHECKING:  # the no-op path must not import lxml
    import lxml.html

    from .write_docx.package import References
    from .write_docx.settings import DocxSettings
    from .write_docx.writer import Blocks

#: The project's cache folder (git-ignored).
CACHE_FOLDER = ".songphasa-cache"
#: Raise when the layout of a cache key or of the build record changes.
RECORD_VERSION = 1

PACKAGE = Path(__file__).resolve().parent
#: The distributions whose code shapes the bytes of the output.
#: laonlp and pythainlp cut Lao into words (diffs, word counts); tzdata holds the zones' rules.
LIBRARIES = ("python-docx", "babel", "jinja2", "markdown", "lxml", "nh3", "ruamel.yaml", "pydantic",
             "laonlp", "pythainlp", "tzdata")


# --- sealed entries -----------------------------------------------------------------------

def user_cache_dir() -> Path:
    """Return the user's own cache folder for Songphasa (not the project's)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "songphasa"


def seal_key() -> bytes:
    """Return this user's secret for sealing cache entries (made once, readable by the user only)."""
    folder = user_cache_dir()
    path = folder / "seal.key"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()
        else:
            key = secrets.token_bytes(32)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key)
        if len(key) < 32 or path.stat().st_mode & 0o077:
            raise OSError("seal.key is not a private key file")
    except OSError:
        key = FALLBACK_KEY  # caches made now are trusted by this process only
    return key


#: The key of a process that cannot keep one in the user's folder (a read-only home): its entries die with it.
FALLBACK_KEY = secrets.token_bytes(32)


SEAL_SIZE = 32


def seal(key: str, data: bytes) -> bytes:
    """Return a cache entry for data stored under key: the HMAC, then the data."""
    return hmac.new(seal_key(), key.encode("utf-8") + b"\0" + data, hashlib.sha256).digest() + data


def unseal(key: str, blob: bytes) -> bytes | None:
    """Return the data of a cache entry if it was sealed by this user under this key, else None."""
    mac, data = blob[:SEAL_SIZE], blob[SEAL_SIZE:]
    expected = hmac.new(seal_key(), key.encode("utf-8") + b"\0" + data, hashlib.sha256).digest()
    return data if len(blob) >= SEAL_SIZE and hmac.compare_digest(mac, expected) else None


def read_sealed(path: Path, key: str) -> bytes | None:
    """Return the data of a sealed cache file, or None when it is absent, damaged or not ours."""
    try:
        data = read_regular(path)
        return None if data is None else unseal(key, data)
    except OSError:
        return None


def write_sealed(path: Path, key: str, data: bytes) -> None:
    """Store a sealed cache file, written beside and renamed; a cache that cannot be written is skipped."""
    from .files import atomic_write
    try:
        atomic_write(path, seal(key, data), durable=False)  # a torn entry fails its seal: no need to wait for the disk
    except OSError:
        pass  # only makes the next build slower



# --- hashes ---------------------------------------------------------------------------------


@functools.cache  # the code this process runs: hashed once, before anyone can edit it
def code_hash() -> str:
    """Hash Songphasa's own code and the versions of what it builds with.

    Also Python's and zlib's versions: zlib decides the compressed bytes
    inside every DOCX.
    """
    digest = hashlib.sha256()
    for path in walk(PACKAGE):
        if path.suffix == ".py":
            feed(digest, "code", path.relative_to(PACKAGE).as_posix(), file_hash(path))
    versions = installed_versions(LIBRARIES)
    for name in LIBRARIES:
        feed(digest, "library", name, versions[name])
    feed(digest, "python", sys.version, zlib.ZLIB_RUNTIME_VERSION)
    return digest.hexdigest()


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """Return the version of each distribution that ``import`` finds, "absent" for one not installed.

    Read from the names of the ``name-version.dist-info`` folders on the
    path, the first one found for each name, as importlib.metadata finds it:
    a rebuild with nothing changed needs no more, and importlib.metadata
    would be imported and every METADATA file parsed (a third of such a
    rebuild). What no such folder names (an .egg-info install) is asked of
    importlib.metadata.
    """
    wanted = {_distribution_key(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for item in listing:
            if item.endswith(".dist-info"):
                name, _, version = item[: -len(".dist-info")].partition("-")
                if version and wanted.get(_distribution_key(name)) not in (None, *found):
                    found[wanted[_distribution_key(name)]] = version
        if len(found) == len(wanted):
            break
    rest = [name for name in wanted.values() if name not in found]
    if rest:
        from importlib import metadata
        for name in rest:
            try:
                found[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                found[name] = "absent"
    return found


def _distribution_key(name: str) -> str:
    """A distribution's name as its dist-info folder writes it (PEP 503, with underscores): python_docx."""
    return re.sub(r"[-_.]+", "_", name).lower()


def walk(folder: Path, within: Path | None = None) -> Iterator[Path]:
    """Yield the files under a folder in a fixed order, leaving out caches and our temp files.

    Linked folders are followed (the build reads through them), each real folder once.
    """
    seen: set[str] = set()
    # Links are followed only while they stay inside the folder's project: a link to /
    # would walk the whole file system. Pipes and devices are left out (reading one
    # would hang or never end); the build itself reports them.
    boundary = os.path.realpath(folder if within is None else within)
    for directory, subdirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen or not (real == boundary or real.startswith(boundary + os.sep)):
            subdirs[:] = []
            continue
        seen.add(real)
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in sorted(names):
            if name.startswith(".") and name.endswith(".tmp"):  # a file written beside its target, not yet renamed
                continue
            path = Path(directory, name)
            if regular_file(path):
                yield path


def regular_file(path: Path) -> bool:
    """Tell a regular file (through links) from a folder, pipe or device, which are not hashed."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def file_hash(path: Path) -> str:
    """Hash a file's bytes, read in pieces; a file larger than any input may be is named by its size and time.

    A received project may hold a sparse file of 100 GB (no disk space, all zeros): the build refuses
    it when it reads it; the fingerprint taken before must not read it whole first.
    """
    status = path.stat()
    if status.st_size > MAX_INPUT_BYTES:
        return f"too large: {status.st_size} bytes, changed {status.st_mtime_ns}"
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a pipe put in its place meanwhile does not hang the build
    with os.fdopen(fd, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def feed(digest: Any, *parts: str) -> None:
    # Length-prefixed, so that no two different lists of parts hash alike.
    for part in parts:
        raw = part.encode("utf-8", "surrogateescape")
        digest.update(len(raw).to_bytes(8, "big"))
        digest.update(raw)



# --- the DOCX cache ---------------------------------------------------------------------


class DocxCache:
    """DOCX bytes of earlier builds, in the project's cache folder, keyed by the hash of everything that makes them."""

    def __init__(self, root: Path):
        # None when a part of it is a link: nothing is read, written or deleted there.
        self.folder = own_folder(root.resolve(), CACHE_FOLDER, "docx")
        self.used: set[str] = set()  # the keys of the current build, kept by prune()
        self._references: dict[Path, str] = {}
        # Each article hashed once while it lives (a page `watch` keeps is not serialized again each round).
        self.references: References | None = None  # the reference document, read once for all its DOCX
        self.blocks: Blocks | None = None  # the blocks a long-lived session wrote before
        self._keys: dict[int, tuple[lxml.html.HtmlElement, Path, DocxSettings, str]] = {}

    def docx_bytes(self, article: lxml.html.HtmlElement, *, reference: Path, settings: DocxSettings) -> bytes:
        """Return write_docx's DOCX for this article, made now or taken from the cache."""
        from .write_docx.package import References
        from .write_docx.writer import docx_bytes

        key = self.key(article, reference, settings)
        self.used.add(key)
        path = self.folder / f"{key}.docx" if self.folder is not None else None
        data = read_sealed(path, key) if path is not None else None
        if data is None:
            self.references = self.references or References()
            data = docx_bytes(article, reference=reference, settings=settings, references=self.references,
                              blocks=self.blocks)
            if path is not None:
                write_sealed(path, key, data)
        return data

    def key(self, article: lxml.html.HtmlElement, reference: Path, settings: DocxSettings) -> str:
        """Hash what decides a DOCX's bytes: the code, the reference, the settings, the article and its languages."""
        known = self._keys.get(id(article))
        if known is not None and known[0] is article and known[1] == reference and known[2] == settings:
            return known[3]
        from lxml import etree

        if reference not in self._references:
            self._references[reference] = file_hash(reference)
        digest = hashlib.sha256()
        feed(digest, "docx", str(RECORD_VERSION), code_hash(), self._references[reference], repr(settings),
             f"SOURCE_DATE_EPOCH={reproducible.source_date()}")
        # The writer takes the document's language from the article's ancestors.
        feed(digest, "lang", *(str(node.get("lang")) for node in article.iterancestors()))
        digest.update(etree.tostring(article, method="xml", encoding="utf-8", with_tail=False))
        key = digest.hexdigest()
        if len(self._keys) > 4 * max(len(self.used), 64):  # pages of earlier rounds that are gone
            self._keys.clear()
        self._keys[id(article)] = (article, reference, settings, key)
        return key

    def prune(self) -> None:
        """Remove the DOCX no longer made from the current inputs (kept: the ones this build used); start anew."""
        try:
            entries = list(self.folder.iterdir()) if self.folder is not None else []
        except OSError:
            entries = []
        for path in entries:
            if (path.suffix == ".docx" and path.stem not in self.used) or is_half_written(path.name):
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    pass  # after output/ is swapped: an entry left is only space, not a failed build
        self.used = set()
