"""Replace output/ with a build's files all at once: staged beside it, swapped in whole.

The files go into a staging folder beside output/; only when all are written
is it swapped with output/ (an atomic exchange on Linux), so output/ is at
every moment either all old or all new: a failed or interrupted build (even
``kill -9``) leaves the previous output complete.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path

from ..errors import Problem, SongphasaError
from ..files import holds


def write_tree(output: Path, files: dict[str, bytes], *, through_link: bool = False,
               kept: Collection[str] = ()) -> list[str]:
    """Replace output/ with exactly these files, all at once.

    The files go into a staging folder beside output/; only when all are
    written is it swapped with output/ (an atomic exchange on Linux), so
    output/ is at every moment either all old or all new.

    A folder that is a link is replaced only when the user said so
    (``through_link``, the command line's --output-link): a link that came
    inside a received project must not empty the folder it points to.
    What else was in output/ goes, but for ``kept`` (files another command
    of the user's made, by their path inside output/) and the PDFs of DOCX
    this build leaves byte-identical; returns the names of what went.
    """
    if refuse_link(output, through_link):
        # output/ linked elsewhere on purpose (a web server's folder, a shared drive): replace what it
        # points to, and keep the link.
        output = output.resolve()
    parent = output.parent
    remove_stale_staging(parent, output.name)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-{os.getpid()}-", dir=parent))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; output/ is for everyone to read
    try:
        for name in sorted(files):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
        dropped = _keep_unmanaged(output, staging, files, set(kept))
        _swap(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dropped


def refuse_link(folder: Path, through_link: bool) -> bool:
    """Tell whether a folder to be written is a link the user allowed; refuse one they did not (--output-link)."""
    if not folder.is_symlink():
        return False
    if not through_link:
        raise SongphasaError(Problem(
            folder.name, None, f"{folder.name}/ is a link to another folder ({os.readlink(folder)}); "
            "writing it would replace that folder's contents",
            "remove the link, or run with --output-link to fill the folder it points to on purpose"))
    return True


def remove_stale_staging(parent: Path, name: str = "output") -> None:
    """Remove staging folders of builds that were killed midway.

    Builds of one project hold its lock (project_lock), so a staging folder
    found here is never another build's work in progress, whatever process id
    its name carries (process ids mean nothing across containers).
    """
    for path in sorted([*parent.glob(f".{name}-new-*"), *parent.glob(f".{name}-old-*")]):
        shutil.rmtree(path, ignore_errors=True)


def _keep_unmanaged(output: Path, staging: Path, files: dict[str, bytes], kept: set[str]) -> list[str]:
    """Carry over what other commands made in output/ that this build does not replace; name what goes.

    Kept: the files in ``kept`` (the packs `distribute` made, as its vouched manifest lists them) and a
    PDF whose DOCX this build leaves byte-identical. Anything else (a file planted in a received project's
    output/, a PDF of a changed DOCX) goes; the names of files no command of the user's made are returned.
    """
    dropped: list[str] = []
    if not output.is_dir():
        return dropped
    for path in sorted(output.rglob("*")):
        name = path.relative_to(output).as_posix()
        if (path.is_dir() and not path.is_symlink()) or name in files or (staging / name).exists():
            continue
        if path.is_symlink() or not path.is_file():  # a link or a device: never followed, never copied
            dropped.append(name)
            continue
        if name in kept:
            keep = True
        elif path.suffix == ".pdf" and not name.startswith("distribution/"):
            # A PDF is stale once its DOCX changed; keep it only if the DOCX is byte-identical.
            docx = name[:-4] + ".docx"
            keep = docx in files and holds(output / docx, files[docx])
            if not keep:
                continue  # a build's PDF of a changed or gone document: it goes without a word
        else:
            keep = False
        if keep:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        else:
            dropped.append(name)
    return dropped


def _swap(new: Path, output: Path) -> None:
    if not output.exists():
        os.replace(new, output)
        return
    if _exchange(new, output):
        return
    old = output.with_name(f".{output.name}-old-{os.getpid()}")
    os.replace(output, old)
    os.replace(new, output)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
