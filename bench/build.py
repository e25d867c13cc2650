"""Measure how fast Songphasa builds, beside the tools people would use instead.

Run from the repository's root::

    python bench/build.py            # the whole bench, about ten minutes
    python bench/build.py --quick    # fewer repetitions, no 100x event, 5 pairs a device

It prints figures and never fails on them. Everything runs in temporary
copies of the example events (the sample in content/ and every event under
examples/); the repository's output/ is not touched. Each timing is the
wall-clock time of a fresh process, as a user sees it, and the median of
several runs; the load average is printed, as other work on the machine slows
every figure. Python writes its bytecode to a temporary folder (as an
installed package has its .pyc files), and the user's cache folder
(XDG_CACHE_HOME) is the bench's own.

Per event:

(a) A clean build (output/ and .songphasa-cache/ removed; both languages,
    every document, HTML and DOCX, no PDF) against pandoc making the same
    DOCX, one pandoc process per file as people script it. pandoc's Markdown
    is made once, untimed, from the built HTML (``pandoc -f html -t markdown``).
    With the peak memory (maximum resident set) of the build process.
    Timed two ways: with the user's cache folder as the builds before left it
    (it holds the compiled templates, like the .pyc files of the code; a
    clean build removes only the project's folders); and as the first build
    on a machine, with an empty user cache folder. And `check`, alternating
    with the clean builds (its goal: no slower than a clean build).
(b) A rebuild with nothing changed against the import floor: starting Python
    and importing the libraries a build needs.
(c) Inside ``python build.py watch``: one string edited, from the file's
    write to the new pages in output/: an English sentence of the concept
    note (both languages' pages change) and its Lao translation in the PO
    file (the Lao page changes).
Then, for the sample:
(d) Growth: events with 1x, 10x and 100x the agenda items and
    recommendations (the Lao catalog filled for the new strings), built clean.
(e) The speed devices: what each saves, idle and with one busy process
    (bench/devices.py, medians of 15 alternating pairs).
Last, the goals side by side, and the devices' table.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import devices  # noqa: E402  (bench/devices.py)
from grow import grow_event  # noqa: E402  (bench/grow.py)

BUILD = [sys.executable, str(REPO / "build.py")]
#: What every build imports before it does anything: the floor no rebuild can go under.
FLOOR = [sys.executable, "-c", "import jinja2, lxml.etree, babel.messages.pofile, markdown, ruamel.yaml, pydantic"]
ENV = dict(os.environ)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and no 100x event")
    args = parser.parse_args()
    runs = 3 if args.quick else 5

    with tempfile.TemporaryDirectory(prefix="songphasa-bench-") as temp:
        temp_root = Path(temp)
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = str(temp_root / "pycache")
        ENV["XDG_CACHE_HOME"] = str(temp_root / "user-cache")  # the bench's user: every build but (a)'s first ones
        machine()
        subprocess.run(FLOOR, env=ENV, check=True)  # compile the bytecode once, untimed
        events = {"sample": REPO, **{f"examples/{p.name}": p for p in sorted((REPO / "examples").glob("*"))
                                      if (p / "content").is_dir()}}
        rows = []
        for name, source in events.items():
            project = copy_event(source, temp_root / name.replace("/", "-"))
            print(f"== {name} ==")
            rows.append((name, *clean_vs_pandoc(project, temp_root / f"pandoc-{project.name}", runs),
                         *nothing_changed(project, runs + 2), *watch_edit(project, runs)))
            print()
        growth(temp_root, factors=(1, 10) if args.quick else (1, 10, 100), runs=3)
    pairs = 5 if args.quick else 15
    print(f"== (e) speed devices: medians of {pairs} alternating pairs, idle and with one busy process ==")
    gains = devices.gains(pairs)
    print()
    summary(rows)
    print()
    devices.table(gains, pairs)


# --- the machine -------------------------------------------------------------------------

def machine() -> None:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    print(f"Machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"{pandoc_version() or 'pandoc not installed'}")
    print(f"Load average at start (1, 5, 15 min): {load()} — other work on the machine slows every figure")
    print()


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def pandoc_version() -> str | None:
    if shutil.which("pandoc") is None:
        return None
    done = subprocess.run(["pandoc", "--version"], capture_output=True, text=True)
    return done.stdout.splitlines()[0] if done.returncode == 0 else None


# --- helpers -----------------------------------------------------------------------------

def copy_event(source: Path, root: Path) -> Path:
    """Copy an event project (content and catalogs; its own templates if it has them)."""
    root.mkdir(parents=True)
    for name in ("content", "locales", "templates"):
        if (source / name).is_dir() and not (source == REPO and name == "templates"):
            shutil.copytree(source / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    return root


clean = devices.clean


def timed(command: list[str], env: dict | None = None) -> tuple[float, int]:
    """Run a command; return its wall-clock seconds and peak memory (KiB); stop the bench if it fails."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=out, env=env or ENV)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            out.seek(0)
            sys.exit(f"bench: {' '.join(map(str, command))} failed:\n{out.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss


def clean_build(project: Path, *, first: bool = False) -> tuple[float, int]:
    """A clean build; ``first``: as the first build on a machine, with an empty user cache folder."""
    clean(project)
    if not first:
        return timed([*BUILD, "--project", str(project)])
    with tempfile.TemporaryDirectory(prefix="songphasa-user-cache-") as user_cache:
        return timed([*BUILD, "--project", str(project)], env={**ENV, "XDG_CACHE_HOME": user_cache})


def median_of(runs: int, measure) -> tuple[float, list[float]]:
    times = [measure() for _ in range(runs)]
    return statistics.median(times), times


def shown(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


# --- (a) against pandoc --------------------------------------------------------------------

def check(project: Path) -> float:
    """`python build.py check` (the findings do not matter here, only the time: its exit status may be 1)."""
    started = time.perf_counter()
    subprocess.run([*BUILD, "--project", str(project), "check"], env=ENV, capture_output=True)
    return time.perf_counter() - started


def clean_vs_pandoc(project: Path, work: Path, runs: int) -> tuple[float, float, float | None, float, float]:
    clean_build(project)  # untimed: the user cache folder as any build after the first leaves it
    output = project / "output"
    docx = sorted(output.rglob("*.docx"))
    html = len(list(output.rglob("*.html")))
    sources = []
    if shutil.which("pandoc") is not None:
        work.mkdir()
        for path in docx:  # untimed: the Markdown a pandoc user would have written
            name = path.relative_to(output).with_suffix("").as_posix().replace("/", "-")
            markdown = work / f"{name}.md"
            subprocess.run(["pandoc", "-f", "html", "-t", "markdown", "-o", str(markdown),
                            str(path.with_suffix(".html"))], check=True, capture_output=True)
            sources.append(markdown)

    def pandoc_all() -> float:
        started = time.perf_counter()
        for markdown in sources:
            subprocess.run(["pandoc", "-o", str(markdown.with_suffix(".docx")), str(markdown)],
                           check=True, capture_output=True)
        return time.perf_counter() - started

    results, firsts, checks, theirs_all = [], [], [], []
    check(project)  # untimed: the spelling answers of this event kept in the user's cache folder
    for _ in range(runs):  # alternating, pandoc too, so that all see the same load (this machine's speed drifts)
        results.append(clean_build(project))
        if sources:
            theirs_all.append(pandoc_all())
        firsts.append(clean_build(project, first=True))
        checks.append(check(project))
    ours = statistics.median(seconds for seconds, _ in results)
    first = statistics.median(seconds for seconds, _ in firsts)
    checked = statistics.median(checks)
    memory = max(kib for _, kib in results + firsts) / 1024
    print(f"(a) clean build: {len(docx)} DOCX + {html} HTML in {ours:.2f} s "
          f"(median of {runs}: {shown([s for s, _ in results])}); peak memory {memory:.0f} MiB")
    print(f"    the first build on a machine (empty user cache folder: templates compiled): {first:.2f} s "
          f"({shown([s for s, _ in firsts])})")
    print(f"    check: {checked:.2f} s ({shown(checks)}); check / clean build = {checked / ours:.2f} (goal: at most 1.0)")
    if not sources:
        print("    pandoc: not installed, no comparison")
        return ours, first, None, memory, checked
    theirs = statistics.median(theirs_all)
    paired = statistics.median(s / t for (s, _), t in zip(results, theirs_all))
    print(f"    pandoc: the same {len(sources)} DOCX from Markdown in {theirs:.2f} s "
          f"(median of {runs}: {shown(theirs_all)}); Songphasa / pandoc = {ours / theirs:.2f} (goal: at most 0.5; "
          f"median of the {runs} side-by-side pairs: {paired:.2f}); "
          f"first build / pandoc = {first / theirs:.2f}")
    return ours, first, theirs, memory, checked


# --- (b) nothing changed -------------------------------------------------------------------

def nothing_changed(project: Path, runs: int) -> tuple[float, float]:
    clean_build(project)
    timed([*BUILD, "--project", str(project)])  # warm the file cache
    noop, noop_all = median_of(runs, lambda: timed([*BUILD, "--project", str(project)])[0])
    floor, floor_all = median_of(runs, lambda: timed(FLOOR)[0])
    print(f"(b) nothing changed: {noop:.3f} s (median of {runs}: {shown(noop_all)}); import floor "
          f"{floor:.3f} s ({shown(floor_all)}); ratio {noop / floor:.2f} (goal: at most 1.0)")
    return noop, floor


# --- (c) an edit inside watch --------------------------------------------------------------

PARAGRAPH = re.compile(r"(?m)^([A-Z][^\n]{40,})\.$")  # a paragraph (not a heading, list, table or note)
#: The Lao translation of a concept-note paragraph, on one line.
#: (A paragraph's id is its section, its first words and a hash: concept-note.description.the-event-3d859ca2.)
MSGSTR = re.compile(r'(?m)^msgctxt "concept-note\.[a-z0-9-]+\.[a-z0-9-]+-[0-9a-f]{8}"\nmsgid ".*"\nmsgstr "([^"\n]+)"$')


def _shows(page: Path, marker: str, seen: dict[Path, tuple]) -> bool:
    """Tell whether a page has the marker, reading it only when it is a new file (the bench must not load the machine)."""
    try:
        stat = page.stat()
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if seen.get(page, (None,))[0] != identity:
            seen[page] = (identity, marker in page.read_text(encoding="utf-8"))
    except OSError:
        return False  # the folder is being swapped
    return seen[page][1]


def watch_edit(project: Path, runs: int) -> tuple[float | None, float | None]:
    """Time, while `watch` runs, an organizer's edit and a translator's edit until the pages show them."""
    source = project / "content" / "concept-note.md"
    po = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    text, po_text = source.read_text(encoding="utf-8"), po.read_text(encoding="utf-8")
    match = PARAGRAPH.search(text)
    translation = MSGSTR.search(po_text)
    if match is None or translation is None:
        print("(c) watch: no plain sentence to edit in content/concept-note.md or its catalog")
        return None, None
    both = [project / "output" / lang / "concept-note.html" for lang in ("en", "lo")]

    def organizer(marker: str) -> None:
        source.write_text(text[: match.end(1)] + f" {marker}" + text[match.end(1):], encoding="utf-8")

    def translator(marker: str) -> None:
        po.write_text(po_text[: translation.end(1)] + f" {marker}" + po_text[translation.end(1):], encoding="utf-8")

    process = subprocess.Popen([*BUILD, "--project", str(project), "watch"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=ENV)
    results = []
    try:
        for line in process.stdout:  # the first build
            if line.startswith("Watching"):
                break
        for label, edit, pages in (("an English sentence of the concept note edited", organizer, both),
                                   ("its Lao translation edited in the PO file", translator, both[1:])):
            times = []
            for index in range(runs + 1):  # the first edit warms what the first build did not use
                marker = f"benchmarked{label[:2]}{index}"
                started = time.perf_counter()
                edit(marker)
                deadline = started + 30
                seen: dict[Path, tuple] = {}
                while time.perf_counter() < deadline:
                    if all(_shows(page, marker, seen) for page in pages):
                        break
                    time.sleep(0.002)
                else:
                    print(f"(c) watch, {label}: did not reach output/ within 30 s")
                    break
                if index:
                    times.append(time.perf_counter() - started)
                time.sleep(0.3)  # let the round finish its report
            median = statistics.median(times) if times else None
            if median is not None:
                print(f"(c) watch, {label} → {' and '.join(p.parent.name + '/' + p.name for p in pages)} rebuilt: "
                      f"{median:.3f} s (median of {len(times)}: {', '.join(f'{t:.3f}' for t in times)}; "
                      "goal: at most 0.15)")
            results.append(median)
            source.write_text(text, encoding="utf-8")
            po.write_text(po_text, encoding="utf-8")
            time.sleep(1)
    finally:
        process.terminate()
        process.wait(timeout=10)
        source.write_text(text, encoding="utf-8")
        po.write_text(po_text, encoding="utf-8")
    return results[0] if results else None, results[1] if len(results) > 1 else None


# --- (d) growth ----------------------------------------------------------------------------

def growth(temp_root: Path, factors: tuple[int, ...], runs: int) -> None:
    print("== growth (the sample): clean builds of events with more agenda items and recommendations ==")
    results = {}
    for factor in factors:
        project = temp_root / f"grown-{factor}x"
        counts = grow_event(REPO, project, factor)
        repetitions = runs if factor < 100 else 1
        measured = [clean_build(project) for _ in range(repetitions)]
        seconds = statistics.median(s for s, _ in measured)
        memory = max(k for _, k in measured) / 1024
        items = counts["items"] + counts["recommendations"]
        results[factor] = seconds
        print(f"    {factor:>3}x: {counts['items']:>4} agenda items, {counts['recommendations']:>4} recommendations "
              f"→ {seconds:6.2f} s ({1000 * seconds / items:6.1f} ms per item; peak {memory:.0f} MiB; "
              f"{'median of ' + str(repetitions) if repetitions > 1 else 'one run'}: {shown([s for s, _ in measured])})")
    for small, large in zip(factors, factors[1:]):
        ratio = results[large] / results[small]
        print(f"    time({large}x) / time({small}x) = {ratio:.1f} for {large / small:.0f}x the items")
    if 1 in results and 100 in results:
        print(f"    time(100x) / time(1x) = {results[100] / results[1]:.1f} (goal: at most 60)")
    print()


def summary(rows: list[tuple]) -> None:
    print(f"Load average at the end: {load()}")
    print("The goals side by side (goals: clean build / pandoc at most 0.5; check / clean build at most 1.0; "
          "nothing changed / import floor at most 1.0; a watch edit at most 0.15 s):")
    print("| event | clean build | pandoc | ratio | first build (ratio) | check (/ clean build) | nothing changed "
          "| import floor | ratio | watch: English edit | watch: Lao edit | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, ours, first, theirs, memory, checked, noop, floor, edit, translated in rows:
        ratio = f"{ours / theirs:.2f}" if theirs else "—"
        pandoc = f"{theirs:.2f} s" if theirs else "—"
        first_shown = f"{first:.2f} s ({first / theirs:.2f})" if theirs else f"{first:.2f} s"
        watch = [f"{t:.3f} s" if t is not None else "—" for t in (edit, translated)]
        print(f"| {name} | {ours:.2f} s | {pandoc} | {ratio} | {first_shown} | {checked:.2f} s ({checked / ours:.2f}) "
              f"| {noop:.3f} s | {floor:.3f} s | {noop / floor:.2f} | {watch[0]} | {watch[1]} | {memory:.0f} MiB |")


if __name__ == "__main__":
    main()
