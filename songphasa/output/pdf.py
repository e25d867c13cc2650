"""Turn the written DOCX files into PDFs with LibreOffice.

LibreOffice takes seconds to start and little to convert, so every file of a
build goes through one headless process. It names each PDF after its input
only, which would collide for ``output/en/agenda.docx`` and
``output/lo/agenda.docx``; the inputs are therefore copied into a scratch
folder under unique names first, and each PDF is moved back beside its DOCX.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from .. import cache
from ..errors import Problem, SongphasaError, ToolMissing
from ..files import scratch_folder
from ..progress import Progress, Silent

log = logging.getLogger(__name__)

SOFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_BASE = 120  # seconds for LibreOffice to start
TIMEOUT_PER_FILE = 60
INSTALL_HINT = (
    "LibreOffice is needed to make PDFs and was not found — install it with "
    "`apt-get install libreoffice-writer-nogui` (Debian/Ubuntu) or from libreoffice.org"
)


def find_soffice() -> str | None:
    """Return the path of the LibreOffice program, or None if it is not installed."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def renderer_identity() -> str:
    """Name what shapes a PDF besides its DOCX: LibreOffice's build and the fonts installed.

    Read from LibreOffice's versionrc and fontconfig's list, without starting
    LibreOffice: a PDF made before the Lao font was installed, or by another
    LibreOffice, is not taken from the cache.
    """
    digest = hashlib.sha256()
    soffice = find_soffice()
    if soffice:
        program = Path(os.path.realpath(soffice)).parent
        for name in ("versionrc", "version.ini"):
            try:
                digest.update(name.encode() + b"\0" + (program / name).read_bytes())
            except OSError:
                pass
        digest.update(program.as_posix().encode())
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            listed = subprocess.run([fc_list, "--format", "%{file}|%{fontversion}|%{family}\\n"], capture_output=True,
                                    timeout=60, check=False).stdout
        except (OSError, subprocess.TimeoutExpired):
            listed = b""
        digest.update(b"\n".join(sorted(listed.splitlines())))
    return digest.hexdigest()


def _run_watching(command: list[str], timeout: float, env: dict, outbox: Path, staged: dict[str, Path],
                  progress: Callable[[str], None] | None) -> subprocess.CompletedProcess:
    """Run LibreOffice, reporting each PDF as it appears ("converted NAME"), so progress is real."""
    started = time.monotonic()
    reported: set[str] = set()
    # A session of its own: LibreOffice's launcher starts soffice.bin as its child, and
    # stopping the whole group is the only way to stop both with us. The guard at its
    # head stops the group when we die without a chance to do it ourselves (SIGKILL).
    with subprocess.Popen(guarded(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                          start_new_session=True) as process:
        try:
            while True:
                try:
                    stdout, stderr = process.communicate(timeout=0.25)
                    break
                except subprocess.TimeoutExpired:
                    if time.monotonic() - started > timeout:
                        raise
                _report(outbox, staged, reported, progress)
        except BaseException:  # timed out, interrupted, or terminated (cli turns SIGTERM into an exception)
            _stop_group(process)
            raise
    _report(outbox, staged, reported, progress)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


#: Run as ``python -c GUARD PARENT_PID COMMAND...`` at the head of a process group of its own:
#: runs the command and, should the parent die first (killed with SIGKILL, which no clean-up
#: survives), kills the whole group, the command's own children included. A child process
#: is not stopped with its parent otherwise, and PR_SET_PDEATHSIG would reach only the first
#: of LibreOffice's two processes. Polling the parent works on every POSIX system.
GUARD = """
import os, signal, subprocess, sys
parent = int(sys.argv[1])
code = 125
if os.getppid() == parent:
    child = subprocess.Popen(sys.argv[2:])
    while os.getppid() == parent:
        try:
            code = child.wait(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            pass
if os.getppid() != parent:
    os.killpg(0, signal.SIGKILL)
sys.exit(code if code >= 0 else 128 - code)
"""


def guarded(command: list[str]) -> list[str]:
    """Wrap a command so that it and everything it starts die with this process (see GUARD)."""
    if not sys.executable:  # an embedded interpreter that cannot start itself
        return command
    return [sys.executable, "-I", "-S", "-c", GUARD, str(os.getpid()), *command]


def _stop_group(process: subprocess.Popen) -> None:
    """Stop LibreOffice and everything it started, and wait for it."""
    import signal
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()


def _report(outbox: Path, staged: dict[str, Path], reported: set[str],
            progress: Callable[[str], None] | None) -> None:
    for name, source in staged.items():
        pdf = Path(name).stem + ".pdf"
        if progress and pdf not in reported and (outbox / pdf).exists():
            reported.add(pdf)
            progress(f"converted {source.as_posix()}")


def _soffice_env(scratch: Path) -> dict[str, str]:
    """LibreOffice's environment: a home and a temporary folder inside our scratch folder, and UTC.

    Its own temporary files then go when the scratch folder goes; should we be killed, the
    next command of the project sweeps the folder (project.sweep_leftovers).

    LibreOffice writes the PDF's dates in the local zone, as ``Z`` in UTC
    and ``+07'00'`` in Vientiane: the widths differ, so without a fixed zone
    the bytes would depend on where the PDF was built.
    """
    temporary = scratch / "tmp"
    temporary.mkdir(exist_ok=True)
    return {**os.environ, "HOME": str(scratch), "TMPDIR": str(temporary), "TZ": "UTC"}


def convert_to_pdf(
    docx_files: Sequence[Path],
    *,
    progress: Callable[[str], None] | None = None,
    scratch: Path | None = None,
) -> list[Path]:
    """Convert each DOCX to a PDF beside it (same stem), all in one LibreOffice run.

    Returns the PDF paths in the order of the inputs.
    """
    if not docx_files:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise ToolMissing(INSTALL_HINT)
    sources = [Path(file) for file in docx_files]
    missing = [source for source in sources if not source.is_file()]
    if missing:
        raise SongphasaError(
            [Problem(source.as_posix(), None, "no such DOCX to convert to PDF")
             for source in missing]  # fmt: skip
        )
    with scratch_folder("songphasa-pdf-", scratch) as scratch_dir:
        inbox, outbox, profile = (scratch_dir / n for n in ("in", "out", "profile"))
        inbox.mkdir()
        outbox.mkdir()
        staged = []
        for index, source in enumerate(sources):
            # The index keeps same-named files apart; the stem keeps the
            # LibreOffice log readable.
            name = f"{index:04d}-{source.stem}.docx"
            shutil.copyfile(source, inbox / name)
            staged.append(name)
        if progress:
            progress(f"converting {len(sources)} DOCX file(s) to PDF with LibreOffice")
        command = [
            soffice,
            # A profile of our own: a LibreOffice the user has open, or a
            # stale lock from a crashed one, would otherwise swallow the job.
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outbox),
            *(str(inbox / name) for name in staged),
        ]
        timeout = TIMEOUT_BASE + TIMEOUT_PER_FILE * len(sources)
        log.debug("running %s", " ".join(command))
        try:
            result = _run_watching(command, timeout, _soffice_env(scratch_dir), outbox,
                                   dict(zip(staged, sources)), progress)
        except subprocess.TimeoutExpired:
            raise SongphasaError(
                f"LibreOffice did not finish converting {len(sources)} file(s) "
                f"to PDF within {timeout} seconds"
            ) from None
        pdfs: list[Path] = []
        failed: list[str] = []
        for source, name in zip(sources, staged):
            produced = outbox / (Path(name).stem + ".pdf")
            target = source.with_suffix(".pdf")
            if not produced.is_file():
                failed.append(source.as_posix())
                continue
            shutil.move(produced, target)
            pdfs.append(target)
            if progress:
                progress(f"wrote {target.as_posix()}")
        if failed:
            detail = (result.stderr or result.stdout).strip().splitlines()
            reason = f" (LibreOffice said: {detail[-1]})" if detail else ""
            raise SongphasaError(
                [Problem(name, None, f"LibreOffice made no PDF from it{reason}")
                 for name in failed]  # fmt: skip
            )
    return pdfs


# --- PDF bytes for the build and the packs ------------------------------------------------

def make_pdfs(docx: dict[str, bytes], moment: dt.datetime, *, progress: Progress | None = None,
              scratch: Path | None = None) -> dict[str, bytes]:
    """Convert DOCX bytes to reproducible PDF bytes, all in one LibreOffice run."""
    progress = progress or Silent()
    progress.stage("Converting to PDF with LibreOffice", len(docx))
    with scratch_folder("songphasa-distribute-", scratch) as folder:
        paths = []
        for name in sorted(docx):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(docx[name])
            paths.append(path)

        def step(message: str) -> None:
            if message.startswith("converted "):
                progress.advance()
        made = convert_to_pdf(paths, progress=step, scratch=scratch)
        return {path.relative_to(folder).as_posix(): reproducible_pdf(path.read_bytes(), moment) for path in made}


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{4,14})([^)]{0,8})\)")
_PDF_ID = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>\s*\])")
_PDF_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)")


def reproducible_pdf(data: bytes, moment: dt.datetime) -> bytes:
    """Replace LibreOffice's clock time, document id and checksum by fixed values of the same length.

    Every replacement keeps its length, so the cross-reference table's byte
    offsets stay true and the file needs no rewriting. The new id is a hash of
    the PDF with those stamps blanked: the same content gives the same id.
    """
    stamp = moment.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%S").encode("ascii")

    def date(match: re.Match) -> bytes:
        digits = match.group(2)
        zone = re.sub(rb"\d", b"0", match.group(3)).replace(b"-", b"+")  # UTC, the same width
        return match.group(1) + stamp[:len(digits)] + zone + b")"

    dated = _PDF_DATE.sub(date, data)
    blank = _PDF_ID.sub(lambda m: m.group(1) + b"0" * len(m.group(2)) + m.group(3) + b"0" * len(m.group(4)) + m.group(5),
                        dated)
    blank = _PDF_CHECKSUM.sub(lambda m: m.group(1) + b"0" * len(m.group(2)), blank)
    digest = hashlib.sha256(blank).hexdigest().upper().encode("ascii") * 2
    fixed = _PDF_ID.sub(lambda m: m.group(1) + digest[:len(m.group(2))] + m.group(3) + digest[:len(m.group(4))]
                        + m.group(5), dated)
    fixed = _PDF_CHECKSUM.sub(lambda m: m.group(1) + digest[-len(m.group(2)):], fixed)
    assert len(fixed) == len(data), "a PDF stamp changed length"
    return fixed


# --- the build's PDFs, cached -----------------------------------------------------------------

def pdf_files(docx: dict[str, bytes], moment: dt.datetime, folder: Path | None, *,
              progress: Progress | None = None, scratch: Path | None = None) -> dict[str, bytes]:
    """Make a PDF of every DOCX (by name), in one LibreOffice run for those not in the cache folder.

    A PDF is kept under the hash of its DOCX, the moment it carries and what
    else shapes it (LibreOffice's build, the fonts it can use), so a rebuild
    converts only the documents that changed; entries no longer made go.
    ``folder`` None (files.own_folder found a link): nothing is kept, every PDF is made.
    """
    renderer = renderer_identity()
    keys = {name: hashlib.sha256(renderer.encode() + b"\0" + moment.isoformat().encode() + b"\0" + data).hexdigest()
            for name, data in docx.items()}
    pdfs = {name: cache.read_sealed(folder / f"{keys[name]}.pdf", keys[name]) if folder is not None else None
            for name in docx}
    missing = {name: docx[name] for name, pdf in pdfs.items() if pdf is None}
    if missing:
        made = make_pdfs(missing, moment, progress=progress, scratch=scratch)
        for pdf_name, data in made.items():  # make_pdfs names each PDF after its DOCX
            name = pdf_name[: -len(".pdf")] + ".docx"
            pdfs[name] = data
            if folder is not None:
                cache.write_sealed(folder / f"{keys[name]}.pdf", keys[name], data)
    used = {f"{key}.pdf" for key in keys.values()}
    for stale in folder.glob("*.pdf") if folder is not None else ():
        if stale.name not in used:
            stale.unlink(missing_ok=True)
    return {name[: -len(".docx")] + ".pdf": data for name, data in pdfs.items() if data is not None}
