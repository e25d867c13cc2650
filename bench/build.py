"""Measure how fast Songphasa builds, beside the tools people would use instead.

Run from the repository's root::

    python bench/build.py            # the whole bench, a few minutes
    python bench/build.py --quick    # fewer repetitions, no 100x event

It prints figures and never fails on them. Everything runs in temporary
copies of the sample project; the repository's output/ is not touched.
Each timing is the wall-clock time of a fresh process, as a user sees it.

(a) A clean build of the sample (both languages, every document, HTML and
    DOCX, no PDF) against pandoc making the same number of DOCX, one pandoc
    process per file as people script it. pandoc's Markdown is made once,
    untimed, from the built HTML (``pandoc -f html -t markdown``).
(b) A rebuild with nothing changed against importing the libraries alone
    (``python -c "import jinja2, docx, babel, markdown"``).
(c) Growth: events with 1x, 10x and 100x the agenda items and
    recommendations (the Lao catalog filled for the new strings), built
    clean; time per item shows whether the build grows linearly.
(d) Both example events side by side: the sample and
    examples/technical-workshop (two days, breaks, parallel groups, a table
    and a footnote), each built clean and rebuilt with nothing changed.
"""

from __future__ import annotations

import argparse
import os
import platform
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

from grow import grow_event  # noqa: E402  (bench/grow.py)

BUILD = [sys.executable, str(REPO / "build.py")]
LIBRARIES = [sys.executable, "-c", "import jinja2, docx, babel, markdown"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and no 100x event")
    args = parser.parse_args()
    runs = 3 if args.quick else 5

    machine()
    with tempfile.TemporaryDirectory(prefix="songphasa-bench-") as temp:
        temp_root = Path(temp)
        sample = copy_sample(temp_root / "sample")
        compare_with_pandoc(sample, temp_root / "pandoc", runs)
        nothing_changed(sample, runs + 2)
        growth(temp_root, factors=(1, 10) if args.quick else (1, 10, 100), runs=3 if args.quick else 3)
        both_examples(sample, copy_sample(temp_root / "technical-workshop", REPO / "examples" / "technical-workshop"),
                      runs)


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
    load = "n/a"
    if hasattr(os, "getloadavg"):
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"Machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"{pandoc_version() or 'pandoc not installed'}")
    print(f"Load average at start (1, 5, 15 min): {load} — other work on the machine slows every figure")
    print()


def pandoc_version() -> str | None:
    if shutil.which("pandoc") is None:
        return None
    done = subprocess.run(["pandoc", "--version"], capture_output=True, text=True)
    return done.stdout.splitlines()[0] if done.returncode == 0 else None


# --- helpers -----------------------------------------------------------------------------

def copy_sample(root: Path, source: Path = REPO) -> Path:
    """Copy an example event (content and catalogs; templates are built in), the sample by default."""
    root.mkdir(parents=True)
    for name in ("content", "locales"):
        shutil.copytree(source / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    return root


def clean(project: Path) -> None:
    """Forget every earlier build: output/, the DOCX cache and compiled catalogs."""
    shutil.rmtree(project / "output", ignore_errors=True)
    shutil.rmtree(project / ".songphasa-cache", ignore_errors=True)
    for mo in project.glob("locales/*/LC_MESSAGES/*.mo"):
        mo.unlink()


def timed(command: list[str], **kwargs) -> float:
    """Run a command; return its wall-clock seconds; stop the bench if it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, command))} failed:\n{done.stdout}{done.stderr}")
    return seconds


def clean_build(project: Path) -> float:
    clean(project)
    return timed([*BUILD, "--project", str(project)])


def median_of(runs: int, measure) -> tuple[float, list[float]]:
    times = [measure() for _ in range(runs)]
    return statistics.median(times), times


def shown(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


# --- (a) against pandoc --------------------------------------------------------------------

def compare_with_pandoc(sample: Path, work: Path, runs: int) -> None:
    print("(a) Full build of the sample, clean each time, vs pandoc, one process per DOCX")
    ours, ours_all = median_of(runs, lambda: clean_build(sample))
    docx = sorted((sample / "output").rglob("*.docx"))
    print(f"    Songphasa: {len(docx)} DOCX + {len(list((sample / 'output').rglob('*.html')))} HTML "
          f"(+ glossary CSV) in {ours:.2f} s (median of {runs}: {shown(ours_all)})")
    if shutil.which("pandoc") is None:
        print("    pandoc: not installed, no comparison")
        print()
        return
    work.mkdir()
    sources = []
    for path in docx:  # untimed: the Markdown a pandoc user would have written
        name = path.relative_to(sample / "output").with_suffix("").as_posix().replace("/", "-")
        markdown = work / f"{name}.md"
        subprocess.run(["pandoc", "-f", "html", "-t", "markdown", "-o", str(markdown), str(path.with_suffix(".html"))],
                       check=True, capture_output=True)
        sources.append(markdown)

    def pandoc_all() -> float:
        started = time.perf_counter()
        for markdown in sources:
            subprocess.run(["pandoc", "-o", str(markdown.with_suffix(".docx")), str(markdown)],
                           check=True, capture_output=True)
        return time.perf_counter() - started

    theirs, theirs_all = median_of(runs, pandoc_all)
    print(f"    pandoc:    {len(sources)} DOCX from Markdown in {theirs:.2f} s (median of {runs}: {shown(theirs_all)})")
    print(f"    Songphasa / pandoc = {ours / theirs:.2f} (goal: under 0.5) — and Songphasa also made the HTML, "
          "the index and the Lao run properties")
    print()


# --- (b) nothing changed -------------------------------------------------------------------

def nothing_changed(sample: Path, runs: int) -> None:
    print("(b) Rebuild with nothing changed vs importing the libraries alone")
    clean_build(sample)
    timed([*BUILD, "--project", str(sample)])  # warm the file cache
    noop, noop_all = median_of(runs, lambda: timed([*BUILD, "--project", str(sample)]))
    libraries, libraries_all = median_of(runs, lambda: timed(LIBRARIES))
    print(f"    python build.py (nothing changed): {noop:.3f} s (median of {runs}: {shown(noop_all)})")
    print(f"    import jinja2, docx, babel, markdown: {libraries:.3f} s (median of {runs}: {shown(libraries_all)})")
    print(f"    ratio = {noop / libraries:.2f} (goal: at most 1.5)")
    print()


# --- (c) growth ----------------------------------------------------------------------------

def growth(temp_root: Path, factors: tuple[int, ...], runs: int) -> None:
    print("(c) Growth: clean builds of events with more agenda items and recommendations")
    results = {}
    for factor in factors:
        project = temp_root / f"grown-{factor}x"
        counts = grow_event(REPO, project, factor)
        repetitions = runs if factor < 100 else 1
        seconds, all_times = median_of(repetitions, lambda: clean_build(project))
        items = counts["items"] + counts["recommendations"]
        results[factor] = seconds
        print(f"    {factor:>3}x: {counts['items']:>4} agenda items, {counts['recommendations']:>4} recommendations "
              f"→ {seconds:6.2f} s ({1000 * seconds / items:6.1f} ms per item; "
              f"{'median of ' + str(repetitions) if repetitions > 1 else 'one run'}: {shown(all_times)})")
    pairs = [(small, large) for small, large in zip(factors, factors[1:])]
    for small, large in pairs:
        ratio = results[large] / results[small]
        scale = large / small
        verdict = "at most linear" if ratio <= scale * 1.15 else "FASTER THAN LINEAR — look for something quadratic"
        print(f"    time({large}x) / time({small}x) = {ratio:.1f} for {scale:.0f}x the items: {verdict}")
    print()


# --- (d) both example events -----------------------------------------------------------------

def both_examples(sample: Path, workshop: Path, runs: int) -> None:
    print("(d) The two example events: clean build and rebuild with nothing changed")
    for name, project in (("sample (1 day)", sample), ("technical-workshop (2 days)", workshop)):
        built, built_all = median_of(runs, lambda: clean_build(project))
        files = len(list((project / "output").rglob("*.docx"))), len(list((project / "output").rglob("*.html")))
        timed([*BUILD, "--project", str(project)])  # warm the file cache
        noop, noop_all = median_of(runs, lambda: timed([*BUILD, "--project", str(project)]))
        print(f"    {name:<28} {files[0]} DOCX + {files[1]} HTML: clean {built:.2f} s (median of {runs}: "
              f"{shown(built_all)}); nothing changed {noop:.3f} s ({shown(noop_all)})")
    print()


if __name__ == "__main__":
    main()
