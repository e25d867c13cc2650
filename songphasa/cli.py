"""The command line: the only module that prints or exits.

Every error is one plain line (``file:line: what is wrong — what to do``) on
stderr and exit status 1; usage errors exit 2; ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import re
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CatalogError, Problem, SongphasaError
from .files import ProjectLock
from .project import Project

if TYPE_CHECKING:  # a build with nothing to do imports none of it
    from .pipeline import BuildResult


def _options(*, inherit: bool) -> argparse.ArgumentParser:
    """The options every command takes, before or after its name.

    A command's own parser (``inherit``) leaves an option it was not given
    unset rather than resetting it, so ``--release distribute`` keeps --release.
    """
    unset: dict[str, Any] = {"default": argparse.SUPPRESS} if inherit else {}
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", type=Path, metavar="DIR", **(unset or {"default": None}),
                        help="the event project to work on (default: the current folder)")
    common.add_argument("--release", action="store_true", **unset,
                        help="refuse to build while any string is untranslated or fuzzy or any check fails; "
                             "--release LANG… checks only those languages (e.g. --release lo)")
    common.add_argument("--release-languages", type=lambda v: tuple(x for x in v.split(",") if x),
                        default=argparse.SUPPRESS if inherit else (), help=argparse.SUPPRESS)
    common.add_argument("--pdf", action="store_true", **unset, help="also convert every DOCX to PDF (LibreOffice)")
    common.add_argument("--output-link", action="store_true", **unset,
                        help="output/ is a link on purpose (e.g. to a web server's folder): fill the folder it points to")
    common.add_argument("--debug", action="store_true", **unset, help="show the Python traceback of an error")
    return common


def _parser() -> argparse.ArgumentParser:
    common = _options(inherit=True)
    parser = argparse.ArgumentParser(
        prog=_program(), parents=[_options(inherit=False)],
        description="Songphasa: matching Lao and English workshop documents from one source.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("build", parents=[common], help="build all documents into output/ (the default)")
    new = sub.add_parser("new", parents=[common], help="make a new event project, commented and ready to build")
    new.add_argument("dir", type=Path, metavar="DIR", help="the folder to make (new or empty)")
    sub.add_parser("extract", parents=[common], help="write locales/messages.pot from content and templates")
    sub.add_parser("update", parents=[common], help="merge messages.pot into every language's catalog")
    check = sub.add_parser("check", parents=[common], help="validate content and catalogs; print coverage, "
                           "every entry left to translate and every finding")
    check.add_argument("--list", action="store_true", help="list every untranslated and fuzzy entry (the default)")
    init = sub.add_parser("init", parents=[common], help="start a catalog for another target language")
    init.add_argument("lang", help="language code, e.g. th or km")
    sub.add_parser("pdf", parents=[common], help="convert every DOCX in output/ to PDF with LibreOffice")
    tm = sub.add_parser("tm", parents=[common], help="translation memory: take translations from other events "
                        "or a TMX file (tm import), or write this event's as TMX (tm export)")
    tm.add_argument("action", choices=["import", "export"])
    tm.add_argument("sources", nargs="+", metavar="PATH",
                    help="import: event project folders, .po or .tmx files; export: the .tmx file to write")
    tm.add_argument("--lang", default=None, help="the catalog's language (default: every catalog of the event)")
    xlf = sub.add_parser("xliff", parents=[common], help="export a catalog as XLIFF for a CAT tool, or import "
                         "the translations of one (the PO file stays the source of truth)")
    xlf.add_argument("action", choices=["import", "export"])
    xlf.add_argument("file", type=Path, help="the .xlf file to write or read")
    xlf.add_argument("--lang", default=None, help="the target language (default: import: the file's; export: the "
                     "first one after the source language)")
    xlf.add_argument("--source-as-target", action="store_true", help="export: copy the English into each empty "
                     "target, marked needs-translation (OmegaT translates the target text)")
    xlf.add_argument("--skip-conflicts", action="store_true", help="import: take the entries that did not change in "
                     "the PO since the export and leave the conflicting ones as the PO has them")
    people = sub.add_parser("participants", parents=[common], help="take a registration export (CSV or XLSX) "
                            "into content/participants.yaml")
    people.add_argument("action", choices=["import"])
    people.add_argument("file", type=Path, help="the .csv or .xlsx file the registration form exported")
    people.add_argument("--map", action="append", default=[], metavar="FIELD=HEADING",
                        help='the column of a field, e.g. --map name.lo="ຊື່ ແລະ ນາມສະກຸນ" (fields: honorific, '
                             "name.LANG, position.LANG, organization, role, attendance, email, telephone)")
    people.add_argument("--sheet", default=None, help="the workbook's sheet (default: the first)")
    sub.add_parser("watch", parents=[common], help="rebuild whenever content, locales or templates change")
    decide = sub.add_parser("decide", parents=[common], help="record the decision on one recommendation")
    decide.add_argument("recommendation", help="recommendation id, e.g. 1.2")
    decide.add_argument("--status", required=True, choices=["proposed", "accepted", "modified", "rejected"])
    decide.add_argument("--text", action="append", default=[], metavar="LANG=TEXT",
                        help='the confirmed text in one language, e.g. --text en="…" --text lo="…" '
                             "(repeat for each; without LANG= it is the source language)")
    sub.add_parser("distribute", parents=[common], help="make the addressed packs for every recipient (release only)")
    serve = sub.add_parser("serve", parents=[common], help="run the decision session: the secretariat records decisions, "
                           "the projector and the booths see them live")
    serve.add_argument("--port", type=int, default=0, metavar="N",
                       help="the port to listen on (default: the last server's when free, else a free one)")
    serve.add_argument("--new-links", action="store_true",
                       help="new tokens for every role: the links printed before stop working")
    serve.add_argument("--lan", action="store_true",
                       help="let the room's other computers connect (the projector PC, the booths' laptops)")
    serve.add_argument("--host", action="append", default=[], metavar="NAME",
                       help="a name or address the others reach this computer by (implies --lan; repeatable)")
    return parser


def _program() -> str:
    """Name the program as the user started it: `songphasa` installed, `python build.py` in a checkout."""
    return "python build.py" if Path(sys.argv[0]).name == "build.py" else "songphasa"


def run() -> None:
    """Run the command line and leave with its exit status (build.py and the ``songphasa`` script).

    Before Python's shutdown, everything the command made is frozen out of the
    cycle collector: its last collection at exit would otherwise walk every
    object of the build for nothing (bench/devices.py measures what it saves).
    """
    status = main()
    gc.freeze()
    raise SystemExit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status."""
    args = _parser().parse_args(_release_languages(list(sys.argv[1:] if argv is None else argv)))
    previous = _stop_on_sigterm()
    stdout = _Stdout(sys.stdout)
    try:
        with contextlib.redirect_stdout(stdout):
            status = _run(args)
            stdout.flush()
    finally:
        if previous is not None:
            import signal
            signal.signal(signal.SIGTERM, previous)
    if stdout.failed is None or isinstance(stdout.failed, BrokenPipeError):
        return status  # `| head -1`: the reader has what it wanted, and nothing needs saying
    print(f"songphasa: standard output could not be written ({stdout.failed.strerror or stdout.failed}): what the "
          "command had to say is lost, not its work — every file it wrote is whole", file=sys.stderr)
    return status or 1


class _Stdout:
    """Standard output that never stops a command: a reader gone (`| head -1`) or a full device loses words, not work.

    A write that fails midway through a build would otherwise leave a traceback,
    or a message saying files were not replaced when they were.
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.failed: OSError | None = None

    def write(self, text: str) -> int:
        if self.failed is None and self.stream is not None:
            try:
                self.stream.write(text)
            except OSError as exc:
                self._fail(exc)
        return len(text)

    def flush(self) -> None:
        if self.failed is None and self.stream is not None:
            try:
                self.stream.flush()
            except OSError as exc:
                self._fail(exc)

    def _fail(self, exc: OSError) -> None:
        self.failed = exc
        try:  # what is still in the stream's buffer goes nowhere, so that Python's exit does not complain of it
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.stream.fileno())
            os.close(null)
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            pass

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, fileno: the stream's own (rich asks)
        return getattr(self.stream, name)


def _run(args: argparse.Namespace) -> int:
    command = args.command or "build"
    root = (args.project or Path.cwd()).resolve()
    try:
        if command in WRITING and Project.looks_like(root):
            args.lock = ProjectLock(root)
            with args.lock(on_wait=lambda: _say_waiting(root)):
                return COMMANDS[command](root, args)
        return COMMANDS[command](root, args)
    except SongphasaError as exc:
        if args.debug:
            traceback.print_exc()
        report(exc.problems)
        return 1
    except KeyboardInterrupt:
        # True at any moment: files are swapped in whole, never half-written.
        print("Interrupted: every file is as it was before or as the command finished it, none half-written.",
              file=sys.stderr)
        return 130
    except OSError as exc:  # a full disk, a folder without write permission: the user's to fix
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        # strerror is the system's one-line reason; some errors (shutil.Error) carry a long list instead.
        what = exc.strerror or type(exc).__name__
        print(f"{where}{what} — check that there is free space and that the folder is writable, then run the "
              "command again; files are replaced only when all of them could be written", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours, not the user's: say so plainly, and name it for the report
        if args.debug:
            raise
        what = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        print(f"songphasa: internal error ({what}) — this is a bug in Songphasa, not in your files: please report "
              "it with the output of the same command run with --debug", file=sys.stderr)
        return 1


def _say_waiting(root: Path) -> None:
    print(f"Another songphasa command is writing in {root.name}/ (a build, decide, update or watch); "
          "waiting for it to finish…", file=sys.stderr, flush=True)


def _stop_on_sigterm():
    """Make SIGTERM stop a command the way Ctrl-C does: child processes stopped, temporary files removed.

    Return the handler it replaced (None when it could not be set: not the main thread).
    """
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum, frame):
        raise KeyboardInterrupt
    return signal.signal(signal.SIGTERM, interrupt)


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")


def _release_languages(argv: list[str]) -> list[str]:
    """Turn ``--release lo th`` into ``--release --release-languages=lo,th``; ``--release distribute`` stays."""
    out: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        out.append(token)
        index += 1
        if token != "--release":
            continue
        named = []
        while index < len(argv) and argv[index] not in COMMANDS and _LANGUAGE_CODE.fullmatch(argv[index]):
            named.append(argv[index])
            index += 1
        if named:
            out.append(f"--release-languages={','.join(named)}")
    return out


def said(problem: Problem | str) -> str:
    """A problem or a line as the user reads it: its hints name the program as they started it."""
    return str(problem).replace("`python build.py", f"`{_program()}")


def report(problems: Sequence[Problem]) -> None:
    """Print problems one a line, errors first, then a count."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    for problem in errors + warnings:
        print(said(problem), file=sys.stderr)
    if len(errors) > 1:
        print(f"{len(errors)} errors.", file=sys.stderr)


def cmd_build(root: Path, args: argparse.Namespace) -> int:
    # Standard library only: a build with nothing to do must not wait for Jinja.
    from .output.record import DEFAULT_FORMATS, fingerprint, up_to_date
    started = time.perf_counter()
    formats = (*DEFAULT_FORMATS, "pdf") if args.pdf else DEFAULT_FORMATS
    release = tuple(args.release_languages) if args.release and args.release_languages else bool(args.release)
    try:  # taken once, before anything is read, for the check and the build
        inputs: str | None = fingerprint(root, release=release, formats=formats)
    except OSError:
        inputs = None  # the build takes its own and says what cannot be read
    record = up_to_date(root, release=release, formats=formats, fingerprint_now=inputs) if inputs else None
    if record is not None:
        print(UP_TO_DATE)
        _say_missing(record["missing"])
        return 0
    from .pipeline import build
    from .progress import progress_display
    from .session import Session
    with progress_display(sys.stdout) as progress:
        session = Session(root, lock=getattr(args, "lock", None), output_link=getattr(args, "output_link", False))
        result = build(session, release=release, formats=formats, progress=progress,
                       inputs=inputs)
    _say_built(result, root, time.perf_counter() - started)
    return 0


UP_TO_DATE = "Nothing changed since the last build (output/ is up to date)."


def _say_built(result: BuildResult, root: Path, seconds: float) -> None:
    made = ["index.html", *(f"the {extra[:1].lower()}{extra[1:]}" for extra in result.extras)]
    listed = f"{', '.join(made[:-1])} and {made[-1]}" if len(made) > 1 else made[0]
    print(f"Built {result.documents} documents, {listed} in {_shown(result.output, root)}/ in {seconds:.1f} s.")
    for warning in result.warnings:
        print(said(warning), file=sys.stderr)
    _say_missing({lang: len(missing) for lang, missing in result.missing.items()})


def _say_missing(missing: dict[str, int]) -> None:
    for lang, count in missing.items():
        if count:
            print(f"[{lang}] {count} string(s) are shown in the source language, marked: they are not translated "
                  f"yet or their translation is fuzzy or unusable (run `{_program()} check` to list them).", flush=True)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return path.name


def cmd_new(root: Path, args: argparse.Namespace) -> int:
    from .new import new_project
    target = args.dir if args.dir.is_absolute() else root / args.dir
    made = new_project(target)
    shown = _shown(made.project.root, Path.cwd())
    print(f"Made the event project {shown}/: edit the files in {shown}/content/ (each says what goes in it).")
    for lang, count in made.catalogs.items():
        print(f"Started locales/{lang}/LC_MESSAGES/messages.po with {count} strings to translate.")
    print(f"Build it with `{_program()} --project {shown}` (or run `{_program()}` in that folder).")
    return 0


def cmd_extract(root: Path, args: argparse.Namespace) -> int:
    from .content.load import load_event
    from .i18n.extract import extract
    from .i18n.sources import catalog_source
    from .project import Project
    project = Project.at(root)
    content = load_event(project.root)
    path = extract(catalog_source(content), project)
    print(f"Wrote {path.relative_to(project.root).as_posix()}.")
    return 0


def cmd_update(root: Path, args: argparse.Namespace) -> int:
    from .content.load import load_event
    from .i18n.sources import catalog_source
    from .i18n.update import update
    from .project import Project
    project = Project.at(root)
    content = load_event(project.root)
    for lang, rep in update(catalog_source(content), project).items():
        print(f"[{lang}] {rep.kept} kept, {len(rep.moved)} moved, {len(rep.fuzzy)} marked fuzzy "
              f"(source text changed), {rep.new} new, {len(rep.obsolete)} made obsolete.")
        for context in rep.fuzzy:
            print(f"  fuzzy: {context}")
        for context in rep.obsolete:
            print(f"  obsolete: {context}")
    return 0


def cmd_init(root: Path, args: argparse.Namespace) -> int:
    from .content.load import load_event
    from .i18n.sources import catalog_source
    from .i18n.update import init
    from .project import Project
    project = Project.at(root)
    content = load_event(project.root)
    rep = init(catalog_source(content), project, args.lang)
    path = project.po_path(args.lang).relative_to(project.root).as_posix()
    print(f"Started {path} with {rep.new} strings to translate.")
    if rep.from_memory:
        print(f"{rep.from_memory} strings of the built-in templates are already translated (Songphasa ships them).")
    if args.lang not in content.event.settings.catalog_languages:
        print(f"Add '{args.lang}' to settings.languages in content/event.yaml to build its documents.")
    return 0


def cmd_check(root: Path, args: argparse.Namespace) -> int:
    from .checks.report import check
    lines, problems = check(root)
    for line in lines:
        print(said(line))  # "run `songphasa update`" where songphasa is what the user runs
    report(problems)
    return 1 if any(p.severity == "error" for p in problems) else 0


def cmd_pdf(root: Path, args: argparse.Namespace) -> int:
    """Build with PDFs: the documents are brought up to date first, then converted in one run."""
    args.pdf = True
    return cmd_build(root, args)


def cmd_decide(root: Path, args: argparse.Namespace) -> int:
    from .content.decide import Decision, decide, parse_texts
    from .content.load import load_event
    from .project import Project
    settings = load_event(Project.at(root).root).event.settings
    text, translations = parse_texts(args.text, settings.source_language, settings.all_languages)
    done = decide(root, Decision(args.recommendation, args.status, text, translations))
    for line in done:
        print(line)
    print(f"Run `{_program()}` to see it in the recommendations and the outcome report.")
    return 0


def cmd_distribute(root: Path, args: argparse.Namespace) -> int:
    if not args.release:
        print("distribute makes the packs sent to the ministries, so it runs only as a release: "
              f"add --release ({_program()} --release distribute).", file=sys.stderr)
        return 2
    from .output.distribution import distribute
    from .progress import progress_display
    from .session import Session
    started = time.perf_counter()
    with progress_display(sys.stdout) as progress:
        result = distribute(Session(root, lock=getattr(args, "lock", None), output_link=getattr(args, "output_link", False)),
                            progress=progress)
    print(f"Made {len(result.recipients)} packs ({len(result.files)} files, manifest included) in "
          f"{_shown(result.folder, root)}/ in {time.perf_counter() - started:.1f} s.")
    for warning in result.warnings:
        print(said(warning), file=sys.stderr)
    return 0


def cmd_serve(root: Path, args: argparse.Namespace) -> int:
    from .serve.server import prepare
    if not 0 <= args.port <= 65535:
        print(f"--port {args.port}: a port is a number from 1 to 65535 (leave --port out for a free one)",
              file=sys.stderr)
        return 2
    hosts = tuple(args.host)
    session = prepare(root, port=args.port, lan=args.lan or bool(hosts), hosts=hosts, output_link=args.output_link,
                      new_links=args.new_links)
    print(f"The decision session of {root.name}/ is open. One link per role (keep the secretariat's to yourself: "
          "it writes):", flush=True)
    width = max(len(role.name) for role, _ in session.links)
    for role, link in session.links:
        print(f"  {role.name:<{width}}  {link}", flush=True)
    if not (args.lan or hosts):
        print("Only this computer can open them; add --lan for the projector PC and the booths' laptops.", flush=True)
    print("Decisions are written to content/recommendations.yaml and the PO files as they are saved, and logged "
          "with their time in content/decision-log.yaml. "
          "Ctrl-C to stop.", flush=True)
    try:
        session.run()
    except KeyboardInterrupt:
        pass
    print("Stopped the decision session; every decision saved is in the files.", flush=True)
    return 0


def cmd_watch(root: Path, args: argparse.Namespace) -> int:
    from .watch import rebuilds
    try:
        for event in rebuilds(root, release=args.release, output_link=getattr(args, "output_link", False)):
            if event.problems or event.error is not None:
                if event.error is not None and args.debug:
                    traceback.print_exception(event.error)
                report(event.problems or [Problem("songphasa", None, "internal error — please report it with the "
                                                  "output of the same command run with --debug")])
                print(f"{event.what} — build failed in {event.seconds:.1f} s; output/ is unchanged. "
                      "Waiting for the next change.", flush=True)
            elif not event.changed:  # the first build
                if event.result is None:
                    print(UP_TO_DATE)
                else:
                    _say_built(event.result, root, event.seconds)
            elif event.result is None:
                print(f"{event.what} — nothing to rebuild (same content as the last build).", flush=True)
            else:
                print(f"{event.what} — rebuilt in {event.seconds:.1f} s", flush=True)
                for warning in event.result.warnings:
                    print(said(warning), file=sys.stderr, flush=True)
                _say_missing({lang: len(missing) for lang, missing in event.result.missing.items()})
            if event.watched:
                print(f"Watching {', '.join(event.watched)} for changes (Ctrl-C to stop).", flush=True)
    except KeyboardInterrupt:
        pass
    print("Stopped watching.", flush=True)
    return 0


def _target_languages(content, lang: str | None) -> list[str]:
    settings = content.event.settings
    return [lang] if lang else [code for code in settings.languages if code != settings.source_language]


def _catalog_of(project, lang: str):
    from .i18n.po import read_catalog
    path = project.po_path(lang)
    if not path.exists():
        raise CatalogError(Problem(path.relative_to(project.root).as_posix(), None, f"no catalog for '{lang}'",
                                   f"run `python build.py init {lang}` first"))
    return path, read_catalog(path, project.root, locale=lang)


def cmd_tm(root: Path, args: argparse.Namespace) -> int:
    from .content.load import load_event
    from .files import atomic_write
    from .i18n import memory
    from .i18n.po import po_text
    from .project import Project
    project = Project.at(root)
    content = load_event(project.root)
    # Every catalog: a Lao-source event's Lao one holds the templates' labels.
    languages = [args.lang] if args.lang else list(content.event.settings.catalog_languages)
    if args.action == "export":
        target = Path(args.sources[0])
        if len(args.sources) > 1 or len(languages) != 1:
            print("tm export writes one .tmx file for one language: give one file and --lang", file=sys.stderr)
            return 2
        _, catalog = _catalog_of(project, languages[0])
        atomic_write(target, memory.write_tmx(catalog, content.event.settings.source_language, languages[0]))
        print(f"Wrote {target} ({sum(1 for m in catalog if m.id and m.string and 'fuzzy' not in m.flags)} "
              "translations).")
        return 0
    for lang in languages:
        path, catalog = _catalog_of(project, lang)
        units = memory.read_memories([Path(source).absolute() for source in args.sources], lang, Path.cwd())
        rep = memory.apply(catalog, units)
        atomic_write(path, po_text(catalog), root=project.root)
        print(f"[{lang}] from the memory: {len(rep.translated)} taken as translated (same id and source text), "
              f"{len(rep.fuzzy)} marked fuzzy for review (same or close source text, origin in a comment).")
    return 0


def cmd_xliff(root: Path, args: argparse.Namespace) -> int:
    from .content.load import load_event
    from .files import atomic_write, read_named
    from .i18n import xliff
    from .i18n.po import MAX_CATALOG_BYTES, po_text, too_long
    from .project import Project
    project = Project.at(root)
    content = load_event(project.root)
    languages = _target_languages(content, args.lang)
    data = b""
    if args.action == "import":
        data = read_named(args.file, str(args.file), "give the path of the .xlf file your CAT tool wrote",
                          limit=MAX_CATALOG_BYTES)
        said = xliff.target_language(data, str(args.file))
        # Without --lang, the file says which catalog it translates (a file of a language with none is refused below).
        if not args.lang and said and project.po_path(said).is_file():
            languages = [said]
    if not languages:
        print("xliff: the event declares no language to translate into: add one to settings.languages",
              file=sys.stderr)
        return 2
    lang = languages[0]
    path, catalog = _catalog_of(project, lang)
    po = path.relative_to(project.root).as_posix()
    source = content.event.settings.source_language
    if args.action == "export":
        atomic_write(args.file, xliff.export_xliff(catalog, source, lang, po, source_as_target=args.source_as_target))
        print(f"Wrote {args.file} ({sum(1 for m in catalog if m.id)} entries from {po}).")
        return 0
    rep = xliff.import_xliff(catalog, data, str(args.file), source, lang, po, skip_conflicts=args.skip_conflicts)
    long = too_long(catalog, po, taken_from=str(args.file))
    if long:  # written, the catalog would be refused by every command after
        raise CatalogError(long)
    report(rep.conflicts + rep.skipped)
    if rep.conflicts and not args.skip_conflicts:
        print(f"[{lang}] nothing was taken from {args.file}: {len(rep.conflicts)} "
              f"{'entry' if len(rep.conflicts) == 1 else 'entries'} changed in {po} since the export. Resolve them, "
              "or import with --skip-conflicts to take the rest and keep the PO's text there.", file=sys.stderr)
        return 1
    if rep.changed:
        atomic_write(path, po_text(catalog), root=project.root)
    print(f"[{lang}] {len(rep.changed)} translations taken into {po} from {args.file}.")
    return 0


def cmd_participants(root: Path, args: argparse.Namespace) -> int:
    from .content.load import load_event
    from .content.registrations import PARTICIPANTS, import_registrations, mapping_of
    from .i18n.translations import load_translations
    from .project import Project
    project = Project.at(root)
    lookups = load_translations(project, load_event(project.root)).lookups  # organizations named in Lao too
    done = import_registrations(project, args.file, mapping=mapping_of(args.map), sheet=args.sheet, lookups=lookups)
    print(f"{len(done.added)} participant(s) added to {PARTICIPANTS}"
          + (f"; {len(done.already)} already listed" if done.already else "")
          + (f"; {len(done.problems)} row(s) left out:" if done.problems else "."))
    report(done.problems)
    return 1 if done.problems else 0


#: Commands that write into the project (check too: it compiles the .mo files): they take its lock, one at a
#: time (watch takes it per rebuild). Taking the lock sweeps what a killed command left.
WRITING = {"build", "pdf", "check", "extract", "update", "init", "decide", "distribute", "tm", "xliff", "participants"}

COMMANDS = {
    "tm": cmd_tm,
    "xliff": cmd_xliff,
    "participants": cmd_participants,
    "build": cmd_build,
    "new": cmd_new,
    "extract": cmd_extract,
    "update": cmd_update,
    "check": cmd_check,
    "init": cmd_init,
    "pdf": cmd_pdf,
    "watch": cmd_watch,
    "decide": cmd_decide,
    "distribute": cmd_distribute,
    "serve": cmd_serve,
}
