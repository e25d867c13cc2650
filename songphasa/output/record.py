"""Skip a build that would change nothing: the build record and the fingerprint of every input.

``output/.songphasa-build.json`` records a fingerprint of every input of the
build (content/, locales/ without the compiled .mo, the template folders in
use, the settings that change the output, and Songphasa's own code with the
versions of the libraries that shape the files) and the hash of every file
the build wrote. When a new build would have the same fingerprint and every
recorded file is still there with its hash, there is nothing to do. Checking
that needs only the standard library, so the command line answers before it
imports Jinja, Babel or lxml.

A fingerprint is taken before the build reads its inputs: an input edited
while the build runs makes the record disagree with the next fingerprint,
so that build is redone rather than trusted.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import reproducible
from ..cache import CACHE_FOLDER, RECORD_VERSION, code_hash, feed, file_hash, read_sealed, regular_file, walk, write_sealed
from ..files import own_folder, read_regular
from ..project import Project

#: The build record's name inside output/.
RECORD = ".songphasa-build.json"
#: The formats a plain ``python build.py`` makes.
DEFAULT_FORMATS = ("html", "docx")


def fingerprint(root: Path, *, release: bool | tuple[str, ...], formats: Iterable[str]) -> str:
    """Hash every input a build of this project reads, and the settings that matter."""
    project = Project(root.resolve())
    digest = hashlib.sha256()
    feed(digest, "record", str(RECORD_VERSION), code_hash())
    feed(digest, "settings", f"release={','.join(release) if isinstance(release, tuple) else bool(release)}",
          ",".join(formats),
          f"SOURCE_DATE_EPOCH={reproducible.source_date()}")
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
        feed(digest, "named", name, file_hash(path) if regular_file(path) else "absent")
    return digest.hexdigest()


# `speech: path` in block or flow style, quoted or not. Read without a YAML
# parser (too slow to import here); a false match only adds a file to the hash.
_NAMED_FILE = re.compile(r"""\bspeech\s*:[ \t]*(?:"([^"\n]+)"|'([^'\n]+)'|([^"'\s,}#][^,}#\n]*))""")


def _named_in_agenda(agenda: Path) -> list[str]:
    if not regular_file(agenda):
        return []
    try:
        text = agenda.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return sorted({"".join(groups).strip() for groups in _NAMED_FILE.findall(text)})


def _feed_folder(digest: Any, label: str, folder: Path, within: Path) -> None:
    if not folder.exists():
        feed(digest, label, "absent")
        return
    for path in walk(folder, within):
        if path.suffix != ".mo":  # compiled by the build from the .po beside it
            feed(digest, label, path.relative_to(folder).as_posix(), file_hash(path))


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


def vouch(root: Path, written: bytes, what: str = "record") -> None:
    """Note, sealed with this user's key in the project's cache, that a command of theirs wrote this list of files.

    ``what``: "record" (the build's record) or "distribution" (the packs' manifest). The list itself
    stays the same bytes for everyone (two organizers get the same files); the note is what a planted
    output/ cannot forge: an edited page with its hash updated in the record is built again.
    """
    folder = own_folder(root.resolve(), CACHE_FOLDER)
    if folder is not None:
        write_sealed(folder / what, f"vouched-{what}", hashlib.sha256(written).digest())


def vouched(root: Path, written: bytes, what: str = "record") -> bool:
    """Tell whether a command of this user's wrote this list of files (see vouch)."""
    folder = own_folder(root.resolve(), CACHE_FOLDER)
    return folder is not None and \
        read_sealed(folder / what, f"vouched-{what}") == hashlib.sha256(written).digest()


def distributed(root: Path, folder: str = "distribution") -> set[str]:
    """The files of output/distribution/ the user's last `distribute` made and nobody changed since.

    Read from the packs' manifest, trusted only when vouched; a file it does not list, or one whose
    bytes are not the listed ones, is not the user's pack.
    """
    where = root.resolve() / "output" / folder
    try:
        written = read_regular(where / "manifest.json")
        if written is None or not vouched(root, written, folder):
            return set()
        rows = json.loads(written.decode("utf-8"))["files"]
        listed = {str(row["path"]): str(row["sha256"]) for row in rows}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    kept = {f"{folder}/manifest.json", f"{folder}/manifest.csv"}
    for name, digest in listed.items():
        path = where / name
        if ".." not in Path(name).parts and regular_file(path) and file_hash(path) == digest:
            kept.add(f"{folder}/{name}")
    return kept & {p.relative_to(where.parent).as_posix() for p in where.rglob("*") if p.is_file()}


def up_to_date(root: Path, *, release: bool | tuple[str, ...] = False, formats: Iterable[str] = DEFAULT_FORMATS,
               fingerprint_now: str | None = None) -> dict | None:
    """Return the last build's record if building again would change nothing, else None.

    Nothing changes when the inputs have the fingerprint recorded and every
    file the build wrote is in output/ with the recorded hash, and the record is
    one a build of this user's wrote (:func:`vouch`). A staging folder
    beside output/ means a build was killed after swapping its files in: the
    build that follows runs, so that it removes the folder.
    ``fingerprint_now``: the inputs' fingerprint, if the caller took it already.
    """
    output = root.resolve() / "output"
    if any(output.parent.glob(f".{output.name}-new-*")) or any(output.parent.glob(f".{output.name}-old-*")):
        return None
    try:
        written = read_regular(output / RECORD)
        if written is None or not vouched(root, written):  # not written by a build of this user's (planted, or made elsewhere)
            return None
        data = json.loads(written.decode("utf-8"))
        if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
            return None
        files = data["files"]
        now = fingerprint_now or fingerprint(root, release=release, formats=formats)
        if not files or data["fingerprint"] != now:
            return None
        for name, digest in files.items():
            path = output / name
            if ".." in Path(name).parts or not path.is_file() or file_hash(path) != digest:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, a damaged one, or a folder that is not a project
    return data


