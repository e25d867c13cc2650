"""Skip a build that would change nothing, and reuse DOCX already made.

Content hashes decide, never file times. Two caches:

* The build record, ``output/.songphasa-build.json``: a fingerprint of every
  input of the build (content/, locales/ without the compiled .mo, the
  template folders in use, the settings that change the output, and
  Songphasa's own code with the versions of the libraries that shape the
  files) and the hash of every file the build wrote. When a new build would
  have the same fingerprint and every recorded file is still there with its
  hash, there is nothing to do. Checking that needs only the standard
  library, so the command line answers before it imports Jinja, Babel,
  python-docx or lxml.
* The DOCX cache, ``.songphasa-cache/docx/`` in the project: the bytes of
  each DOCX keyed by the hash of what makes them (the article's HTML, the
  reference document, the DocxSettings, the code). Editing one string then
  rewrites only the DOCX whose HTML changed.

Everything in a project folder is input, its cache included (a project may
come from someone else): every cache entry is sealed with an HMAC under a key
kept in the user's own cache folder (``$XDG_CACHE_HOME/songphasa``), so an
entry the project brought, or a damaged one, is not used but made again.
Compiled templates, which Jinja stores as pickle and marshal data, live only
in that user folder, never in the project.

A fingerprint is taken before the build reads its inputs: an input edited
while the build runs makes the record disagree with the next fingerprint,
so that build is redone rather than trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import stat
import os
import re
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # the no-op path must not import lxml or python-docx
    import lxml.html

    from .workers import DocxWorker
    from .write_docx.package import References
    from .write_docx.settings import DocxSettings

#: The build record's name inside output/.
RECORD = ".songphasa-build.json"
#: The DOCX cache's folder inside the project (git-ignored).
CACHE_FOLDER = ".songphasa-cache"
#: The formats a plain ``python build.py`` makes.
DEFAULT_FORMATS = ("html", "docx")
#: Raise when the record's layout or the meaning of a key changes.
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


_keys: dict[Path, bytes] = {}


def _seal_key() -> bytes:
    """Return this user's secret for sealing cache entries (made once, readable by the user only)."""
    folder = user_cache_dir()
    if folder in _keys:
        return _keys[folder]
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
        key = secrets.token_bytes(32)  # caches made now are trusted by this process only
    _keys[folder] = key
    return key


SEAL_SIZE = 32


def seal(key: str, data: bytes) -> bytes:
    """Return a cache entry for data stored under key: the HMAC, then the data."""
    return hmac.new(_seal_key(), key.encode("utf-8") + b"\0" + data, hashlib.sha256).digest() + data


def unseal(key: str, blob: bytes) -> bytes | None:
    """Return the data of a cache entry if it was sealed by this user under this key, else None."""
    mac, data = blob[:SEAL_SIZE], blob[SEAL_SIZE:]
    expected = hmac.new(_seal_key(), key.encode("utf-8") + b"\0" + data, hashlib.sha256).digest()
    return data if len(blob) >= SEAL_SIZE and hmac.compare_digest(mac, expected) else None


def read_sealed(path: Path, key: str) -> bytes | None:
    """Return the data of a sealed cache file, or None when it is absent, damaged or not ours."""
    try:
        if not path.is_file() or path.is_symlink():
            return None
        return unseal(key, path.read_bytes())
    except OSError:
        return None


def write_sealed(path: Path, key: str, data: bytes) -> None:
    """Store a sealed cache file, written beside and renamed; a cache that cannot be written is skipped."""
    from .files import atomic_write
    try:
        atomic_write(path, seal(key, data), durable=False)  # a torn entry fails its seal: no need to wait for the disk
    except OSError:
        pass  # only makes the next build slower


# --- fingerprints ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash Songphasa's own code and the versions of what it builds with.

    Also Python's and zlib's versions: zlib decides the compressed bytes
    inside every DOCX.
    """
    digest = hashlib.sha256()
    for path in _files(PACKAGE):
        if path.suffix == ".py":
            _feed(digest, "code", path.relative_to(PACKAGE).as_posix(), _file_hash(path))
    versions = installed_versions(LIBRARIES)
    for name in LIBRARIES:
        _feed(digest, "library", name, versions[name])
    _feed(digest, "python", sys.version, zlib.ZLIB_RUNTIME_VERSION)
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


def fingerprint(root: Path, *, release: bool | tuple[str, ...], formats: Iterable[str]) -> str:
    """Hash every input a build of this project reads, and the settings that matter."""
    from .project import Project  # standard library only

    project = Project(root.resolve())
    digest = hashlib.sha256()
    _feed(digest, "record", str(RECORD_VERSION), code_hash())
    _feed(digest, "settings", f"release={','.join(release) if isinstance(release, tuple) else bool(release)}",
          ",".join(formats),
          "SOURCE_DATE_EPOCH=" + os.environ.get("SOURCE_DATE_EPOCH", ""))
    for label, folder in (("content", project.content), ("locales", project.locales)):
        _feed_folder(digest, label, folder, project.root)
    for index, folder in enumerate(project.template_dirs):
        # The folder's rank decides which file wins, so it is part of the hash; its absolute
        # path is not (the record must be the same bytes wherever the project is built).
        where = "project" if folder.resolve() == (project.root / "templates").resolve() else "built-in"
        _feed_folder(digest, f"templates{index}:{where}", folder, project.root if where == "project" else folder)
    for name in _named_in_agenda(project.content / "agenda.yaml"):
        # A speech text may live anywhere in the project; the pack counts its words.
        path = project.root / name
        _feed(digest, "named", name, _file_hash(path) if _regular(path) else "absent")
    return digest.hexdigest()


# `speech: path` in block or flow style, quoted or not. Read without a YAML
# parser (too slow to import here); a false match only adds a file to the hash.
_NAMED_FILE = re.compile(r"""\bspeech\s*:[ \t]*(?:"([^"\n]+)"|'([^'\n]+)'|([^"'\s,}#][^,}#\n]*))""")


def _named_in_agenda(agenda: Path) -> list[str]:
    if not _regular(agenda):
        return []
    try:
        text = agenda.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return sorted({"".join(groups).strip() for groups in _NAMED_FILE.findall(text)})


def _regular(path: Path) -> bool:
    """Tell a regular file (through links) from a folder, pipe or device, which are not hashed."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _feed_folder(digest: Any, label: str, folder: Path, within: Path) -> None:
    if not folder.exists():
        _feed(digest, label, "absent")
        return
    for path in _files(folder, within):
        if path.suffix != ".mo":  # compiled by the build from the .po beside it
            _feed(digest, label, path.relative_to(folder).as_posix(), _file_hash(path))


def _files(folder: Path, within: Path | None = None) -> Iterator[Path]:
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
            if _is_temporary(name):
                continue
            path = Path(directory, name)
            if _regular(path):
                yield path


def _is_temporary(name: str) -> bool:
    """Tell a half-written file of atomic_write (``.name.xyz.tmp``) from a real one."""
    return name.startswith(".") and name.endswith(".tmp")


def _file_hash(path: Path) -> str:
    """Hash a file's bytes; a file unchanged for a while (fonts, templates) is hashed once per process.

    A file is known by its inode, size and change times, and only when they
    are older than SETTLED seconds: two writes within one tick of the file
    system's clock could leave the same times, so a file written just now
    is read again each time (as Git treats "racily clean" files).
    """
    try:
        info = os.stat(path)
    except OSError:
        info = None
    identity = (str(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns) if info else None
    known = _HASHES.get(identity) if identity else None
    if known is not None:
        return known
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if identity and len(data) == info.st_size and \
            time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > SETTLED * 1_000_000_000:
        if len(_HASHES) >= 4096:
            _HASHES.clear()
        _HASHES[identity] = digest
    return digest


#: Seconds after its last change from which a file's hash is kept (see _file_hash).
SETTLED = 2
_HASHES: dict[tuple, str] = {}


def _feed(digest: Any, *parts: str) -> None:
    # Length-prefixed, so that no two different lists of parts hash alike.
    for part in parts:
        raw = part.encode("utf-8", "surrogateescape")
        digest.update(len(raw).to_bytes(8, "big"))
        digest.update(raw)


# --- the build record -------------------------------------------------------------------


def record(fingerprint: str, files: dict[str, bytes], missing: dict[str, int]) -> bytes:
    """Make the build record: the inputs' fingerprint and the hash of every file written."""
    data = {
        "version": RECORD_VERSION,
        "fingerprint": fingerprint,
        "missing": dict(sorted(missing.items())),
        "files": {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)},
    }
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def up_to_date(root: Path, *, release: bool | tuple[str, ...] = False, formats: Iterable[str] = DEFAULT_FORMATS,
               fingerprint_now: str | None = None) -> dict | None:
    """Return the last build's record if building again would change nothing, else None.

    Nothing changes when the inputs have the fingerprint recorded and every
    file the build wrote is in output/ with the recorded hash. A staging folder
    beside output/ means a build was killed after swapping its files in: the
    build that follows runs, so that it removes the folder.
    ``fingerprint_now``: the inputs' fingerprint, if the caller took it already.
    """
    output = root.resolve() / "output"
    if any(output.parent.glob(f".{output.name}-new-*")) or any(output.parent.glob(f".{output.name}-old-*")):
        return None
    try:
        data = json.loads((output / RECORD).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
            return None
        files = data["files"]
        now = fingerprint_now or fingerprint(root, release=release, formats=formats)
        if not files or data["fingerprint"] != now:
            return None
        for name, digest in files.items():
            path = output / name
            if ".." in Path(name).parts or not path.is_file() or _file_hash(path) != digest:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, a damaged one, or a folder that is not a project
    return data


# --- the DOCX cache ---------------------------------------------------------------------


class _Hashed(NamedTuple):
    """An article as DocxCache.key() hashed it, and its XML (what the second process is sent)."""

    article: lxml.html.HtmlElement
    reference: Path
    settings: DocxSettings
    key: str
    xml: bytes


class DocxCache:
    """DOCX bytes of earlier builds, keyed by the hash of everything that makes them."""

    def __init__(self, root: Path):
        self.folder = root.resolve() / CACHE_FOLDER / "docx"
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self._references: dict[Path, str] = {}
        self._hashed: dict[int, _Hashed] = {}  # by id of the article: each article is hashed and serialized once
        self._given: set[str] = set()  # the keys the second process was sent
        self._wait: Callable[[], bool] | None = None  # waits for all of them (it answers in order)
        self.references: References | None = None  # the reference document, read once for all the build's DOCX

    def docx_bytes(self, article: lxml.html.HtmlElement, *, reference: Path,
                   settings: DocxSettings) -> bytes:
        """Return write_docx.docx_bytes for this article, made now or taken from the cache."""
        from .write_docx.package import References
        from .write_docx.writer import docx_bytes

        key = self.key(article, reference, settings)
        self.used.add(key)
        path = self.folder / f"{key}.docx"
        data = read_sealed(path, key)
        if data is not None:
            self.hits += 1
            return data
        self.misses += 1
        self.references = self.references or References()
        data = docx_bytes(article, reference=reference, settings=settings, references=self.references)
        write_sealed(path, key, data)
        return data

    def share(self, jobs: list[tuple[lxml.html.HtmlElement, Path, DocxSettings]],
              worker: DocxWorker | None) -> Callable[[], bool] | None:
        """Have the second process make the DOCX of these (article, reference, settings) into the cache.

        Returns the function that waits for it to have made these and all it
        was sent before, or None when it took none (nothing was to be made, or
        no second process): then, as after a failure, docx_bytes() makes them here.
        """
        if worker is None:
            return None
        missing = [(article, reference, settings, key) for article, reference, settings in jobs
                   if (key := self.key(article, reference, settings)) not in self._given
                   and not (self.folder / f"{key}.docx").is_file()]
        if missing:
            _seal_key()  # made here first: two processes making the user's key at once would seal under two
            wait = worker.give(self.folder, [(self._hashed[id(article)].xml,
                                              [node.get("lang") for node in article.iterancestors()],
                                              reference, settings, key) for article, reference, settings, key in missing])
            if wait is not None:
                self._given.update(key for *_, key in missing)
                self._wait = wait
        return self._wait

    def key(self, article: lxml.html.HtmlElement, reference: Path, settings: DocxSettings) -> str:
        """Hash what decides a DOCX's bytes: the code, the reference, the settings, the article."""
        known = self._hashed.get(id(article))
        if known is not None and known.article is article and known.reference == reference and known.settings == settings:
            return known.key  # share() hashed it before the second process made it
        key, xml = self._key(article, reference, settings)
        self._hashed[id(article)] = _Hashed(article, reference, settings, key, xml)
        return key

    def _key(self, article: lxml.html.HtmlElement, reference: Path, settings: DocxSettings) -> tuple[str, bytes]:
        """Hash the DOCX's inputs; also return the article's XML, which the second process is sent."""
        from lxml import etree

        if reference not in self._references:
            self._references[reference] = _file_hash(reference)
        digest = hashlib.sha256()
        _feed(digest, "docx", str(RECORD_VERSION), code_hash(), self._references[reference], repr(settings),
              "SOURCE_DATE_EPOCH=" + os.environ.get("SOURCE_DATE_EPOCH", ""))
        # The writer takes the document's language from the article's ancestors.
        _feed(digest, "lang", *(str(node.get("lang")) for node in article.iterancestors()))
        xml = etree.tostring(article, method="xml", encoding="utf-8", with_tail=False)
        digest.update(xml)
        return digest.hexdigest(), xml

    def prune(self) -> None:
        """Remove the DOCX no longer made from the current inputs (kept: the ones this build used)."""
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for path in entries:
            if (path.suffix == ".docx" and path.stem not in self.used) or _is_temporary(path.name):
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    pass  # after output/ is swapped: an entry left is only space, not a failed build


__all__ = ["CACHE_FOLDER", "DEFAULT_FORMATS", "RECORD", "DocxCache", "code_hash", "fingerprint", "read_sealed",
           "record", "up_to_date", "user_cache_dir", "write_sealed"]
