"""What each speed device saves: Songphasa with it and without it, side by side.

A speed device is code that exists only to be faster (a cache, a shortcut);
it stays only while it saves at least 10 % of what it speeds up. For each,
this measures the median saving of alternating pairs (with, without, then
without, with, ...), on an idle machine and with one other busy process,
as the 2-core CI machine often has. Run from the repository's root::

    python bench/devices.py            # 15 pairs each
    python bench/devices.py --pairs 5  # a quick look

bench/build.py prints the same table with its other figures.

Each device is turned off from outside the package, by replacing the one
function or attribute that is the device, so that the package has no switch
of its own. A clean build and `check` run as a user runs them, each in a
fresh process (``python bench/devices.py off DEVICE -- ARGS`` runs the
command line with the device off); a `watch` round runs in this process: a
session that built the sample, then the concept note's sentence edited and
built again, the time to the new output/.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))


# --- the devices, and how each is turned off ------------------------------------------------

def markdown_plain_off() -> None:
    """Every string goes through python-markdown, also those with no Markdown in them."""
    from songphasa.render import markdown
    markdown.plain = lambda source: False


def compiled_templates_off() -> None:
    """Jinja compiles every template on every build (the user's cache folder is not read or written)."""
    from songphasa.render.environment import SealedBytecodeCache
    SealedBytecodeCache.load_bytecode = lambda self, bucket: None  # type: ignore[method-assign]
    SealedBytecodeCache.dump_bytecode = lambda self, bucket: None  # type: ignore[method-assign]


def reference_once_off() -> None:
    """Each DOCX reads the reference document (styles, numbering, fonts) again."""
    from songphasa.cache import DocxCache
    DocxCache.references = property(lambda self: None, lambda self, value: None)  # type: ignore[assignment]


def freeze_at_exit_off() -> None:
    """Python's last collection at exit walks every object the build made."""
    import gc
    gc.freeze = lambda: None


def check_stores_off() -> None:
    """`check` asks Hunspell and runs every check again, keeping nothing in the user's cache folder."""
    from songphasa.checks import store
    original = store.Store.__init__

    def unkept(self, path, key, tables, **kw) -> None:  # type: ignore[no-untyped-def]
        original(self, None, key, tables, **kw)
    store.Store.__init__ = unkept  # type: ignore[method-assign]


@contextmanager
def forgetting(session, keep: str) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Before a watch round, make the session forget one thing it keeps between rounds."""
    if keep == "partial render":
        stale = session.stale
        session.stale = lambda content, translations: (stale(content, translations), None)[1]
    elif keep == "blocks kept":
        blocks, session.docx.blocks = session.docx.blocks, None
    elif keep == "content kept":
        session.parses.clear()
    elif keep == "markdown plain path (watch)":
        from songphasa.render import markdown
        plain, markdown.plain = markdown.plain, (lambda source: False)
    elif keep == "DOCX cache":
        shutil.rmtree(session.docx.folder, ignore_errors=True)
    try:
        yield
    finally:
        session.__dict__.pop("stale", None)
        if keep == "blocks kept":
            session.docx.blocks = blocks
        elif keep == "markdown plain path (watch)":
            markdown.plain = plain


@dataclass(frozen=True)
class Device:
    name: str
    measured: str  # "clean build", "check", "watch round" or "decision save"
    off: Callable[[], None] | None  # for a fresh process; a watch round's device is turned off on its session
    what: str


DEVICES = (
    Device("markdown plain path", "clean build", markdown_plain_off,
           "a string with no Markdown in it is not given to python-markdown"),
    Device("compiled templates", "clean build", compiled_templates_off,
           "Jinja's compiled templates, sealed in the user's cache folder"),
    Device("reference read once", "clean build", reference_once_off,
           "the reference document's parts read once for all the DOCX of a build"),
    Device("freeze at exit", "clean build", freeze_at_exit_off,
           "the objects of a finished command are frozen out of the cycle collector's last walk (gc.freeze)"),
    Device("check stores", "check", check_stores_off,
           "Hunspell's answers and an unchanged catalog's findings, sealed in the user's cache folder"),
    Device("partial render", "watch round", None,
           "only the pages an edit can change are rendered again (Session.stale)"),
    Device("markdown plain path (watch)", "watch round", None, "the same, in a watch round"),
    Device("blocks kept", "watch round", None,
           "the Word XML of a document's unchanged paragraphs and tables is copied, not written again"),
    Device("content kept", "watch round", None, "an unchanged content file is not parsed again"),
    Device("DOCX cache", "watch round", None, "the DOCX of an unchanged page is read from .songphasa-cache/"),
    Device("template strings kept", "decision save", None,
           "a template's gettext calls are kept in the session by its text, not extracted at every save"),
    Device("content kept (save)", "decision save", None,
           "a save parses only recommendations.yaml; the other content files come from the session's parses"),
)


# --- measuring ------------------------------------------------------------------------------

def copy_sample(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("content", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    return root


def clean(project: Path) -> None:
    """Forget every earlier build: output/, the project's cache and compiled catalogs."""
    shutil.rmtree(project / "output", ignore_errors=True)
    shutil.rmtree(project / ".songphasa-cache", ignore_errors=True)
    for mo in project.glob("locales/*/LC_MESSAGES/*.mo"):
        mo.unlink()


def command(project: Path, device: Device, on: bool, env: dict[str, str]) -> float:
    """Run a clean build or `check` in a fresh process, the device on or off; return its wall-clock seconds."""
    args = ["--project", str(project), *(["check"] if device.measured == "check" else [])]
    if device.measured == "clean build":
        clean(project)
    runner = [sys.executable, str(REPO / "build.py")] if on else [sys.executable, __file__, "off", device.name, "--"]
    started = time.perf_counter()
    done = subprocess.run([*runner, *args], env=env, capture_output=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1) or (device.measured == "clean build" and done.returncode):
        sys.exit(f"bench: {device.name} ({'on' if on else 'off'}) failed:\n{done.stderr.decode(errors='replace')}")
    return seconds


class WatchRounds:
    """Two copies of the sample, each with a session that built it: one keeps everything, one forgets a device."""

    def __init__(self, root: Path) -> None:
        from songphasa.pipeline import build
        from songphasa.session import Session

        self.build = build
        self.projects = [copy_sample(root / "on"), copy_sample(root / "off")]
        self.sessions = [Session(p, rounds=True) for p in self.projects]
        for session in self.sessions:
            build(session)
        self.source = "content/concept-note.md"
        self.text = (self.projects[0] / self.source).read_text(encoding="utf-8")
        self.count = 0

    def round(self, device: Device, on: bool) -> float:
        """Edit the concept note's first sentence in one copy and build its session again; return the seconds."""
        index = 1 - on
        session, project = self.sessions[index], self.projects[index]
        self.count += 1
        sentence = re.search(r"(?m)^[A-Z][^\n]{40,}(?=\.$)", self.text)  # a paragraph of the prose
        assert sentence is not None, "the sample's concept note has no plain paragraph"
        edited = self.text[:sentence.end()] + f" (round {self.count})" + self.text[sentence.end():]
        (project / self.source).write_text(edited, encoding="utf-8")
        session.note_changes([self.source])
        with forgetting(session, "" if on else device.name):
            started = time.perf_counter()
            self.build(session)
            return time.perf_counter() - started


class SaveRounds:
    """The decision session's hub over a copy of the sample: one save of recommendation 1.2, as the page does."""

    def __init__(self, root: Path) -> None:
        from songphasa.serve.hub import Hub

        self.hub = Hub(copy_sample(root))
        self.count = 0

    def round(self, device: Device, on: bool) -> float:
        """Save a modified text (a new one each time); return the seconds, the device forgotten first when off."""
        self.count += 1
        parses = self.hub.session.parses
        if not on and device.name == "template strings kept":
            for key in [k for k in parses if k[0].startswith("extracted:")]:
                del parses[key]
        if not on and device.name == "content kept (save)":
            for key in [k for k in parses if not k[0].startswith("extracted:")]:
                del parses[key]
        rec = self.hub.state.find("1.2")
        assert rec is not None, "the sample has no recommendation 1.2"
        body = {"status": "modified", "version": rec.version,
                "text": {"en": f"Resolved, in the wording of round {self.count}.", "lo": f"ຕົກລົງ ຮອບທີ {self.count}."}}
        started = time.perf_counter()
        self.hub.decide("1.2", body)
        return time.perf_counter() - started


@contextmanager
def busy(on: bool) -> Iterator[None]:
    """One other process keeping a core busy (the CI machine's neighbour), or nothing."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if on else None
    try:
        yield
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()


@dataclass
class Gain:
    device: Device
    load: str
    with_it: float
    without: float
    saving: float  # median of the pairs' differences, seconds

    @property
    def share(self) -> float:
        return self.saving / self.without if self.without else 0.0


def measure(device: Device, pairs: int, measure_one: Callable[[bool], float], load_label: str) -> Gain:
    with_it, without = [], []
    for index in range(pairs):  # alternating: with first, then without first
        order = (True, False) if index % 2 == 0 else (False, True)
        times = {on: measure_one(on) for on in order}
        with_it.append(times[True])
        without.append(times[False])
    saving = statistics.median(b - a for a, b in zip(with_it, without))
    return Gain(device, load_label, statistics.median(with_it), statistics.median(without), saving)


def gains(pairs: int, only: str | None = None) -> list[Gain]:
    """Measure every device (or those whose name or kind has ``only`` in it), idle then with one busy process."""
    chosen = [d for d in DEVICES if only is None or only in d.name or only in d.measured]
    results = []
    with tempfile.TemporaryDirectory(prefix="songphasa-devices-") as temp:
        root = Path(temp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(XDG_CACHE_HOME=str(root / "user-cache"), PYTHONPYCACHEPREFIX=str(root / "pycache"))
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]  # this process's watch rounds too
        project = copy_sample(root / "sample")
        for device in chosen:  # warm: bytecode, compiled templates, dictionaries
            if device.off is not None:
                command(project, device, True, env)
        watch = WatchRounds(root / "watch")
        saves = SaveRounds(root / "saves")
        for loaded in (False, True):
            label = f"busy ({os.cpu_count()} cores, one busy process)" if loaded else "idle"
            with busy(loaded):
                for device in chosen:
                    if device.measured == "watch round":
                        one = (lambda on, device=device: watch.round(device, on))
                    elif device.measured == "decision save":
                        one = (lambda on, device=device: saves.round(device, on))
                    else:
                        one = (lambda on, device=device: command(project, device, on, env))
                    gain = measure(device, pairs, one, label)
                    results.append(gain)
                    print(f"  {label:5.5s} {device.name:22s} {gain.with_it:6.3f} s with, {gain.without:6.3f} s without: "
                          f"saves {gain.saving:+.3f} s ({100 * gain.share:+.0f} %), load {load()}", flush=True)
    return results


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def table(results: list[Gain], pairs: int) -> None:
    """Print the table the README's Speed section shows."""
    print(f"| speed device | measured on | idle: saves | busy: saves | what it does |  (median of {pairs} pairs)")
    print("|---|---|---|---|---|")
    for device in dict.fromkeys(g.device for g in results):
        idle, loaded = (next(g for g in results if g.device is device and g.load.startswith(w)) for w in ("idle", "busy"))
        print(f"| {device.name} | {device.measured} ({idle.with_it:.3f} s) | {1000 * idle.saving:+.0f} ms "
              f"({100 * idle.share:+.0f} %) | {1000 * loaded.saving:+.0f} ms ({100 * loaded.share:+.0f} %) | {device.what} |")


def run_off(name: str, args: list[str]) -> None:
    """Run the command line with one device off (the 'off' subcommand of this script)."""
    device = next(d for d in DEVICES if d.name == name)
    assert device.off is not None
    device.off()
    from songphasa import cli
    sys.argv = ["build.py", *args]
    cli.run()


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "off":
        rest = sys.argv[3:]
        run_off(sys.argv[2], rest[1:] if rest[:1] == ["--"] else rest)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15, help="alternating pairs per device and load (default 15)")
    parser.add_argument("--only", help="the devices whose name or kind has this in it (e.g. 'watch')")
    args = parser.parse_args()
    print(f"Load average at start: {load()}")
    results = gains(args.pairs, args.only)
    print()
    table(results, args.pairs)


if __name__ == "__main__":
    main()
