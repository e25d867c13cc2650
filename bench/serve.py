"""The session's server under load: a saved decision reaching every viewer, a save reaching an open preview.

Starts `build.py serve` on a copy of the sample (this computer only), connects
N viewers to /api/events (plain sockets, one asyncio task each), then saves
decisions as the secretariat's page does (POST /api/decisions/ID) and times
each save from the moment it is sent until every viewer has received the
event that carries it. Then connects more viewers and reads the server's
resident memory (VmRSS), and times the secretariat's "Make the documents". Prints figures; asserts nothing. Run from the
repository's root::

    python bench/serve.py                       # the previews; 50 viewers, 20 saves; memory with 200; the
                                                # documents; the translate view of a 5,000-entry catalog
    python bench/serve.py --viewers 10 --saves 5 --rounds 5 --pairs 2

The issue's goals: p95 ≤ 200 ms with 50 viewers on the 2-core machine; ≤ 150 MiB with 200.
Measured when it was written (2 cores, otherwise idle): median 198–211 ms, p95 252–265 ms; 59 MiB
with 50 viewers, 69 MiB with 200; the documents after the last decision, every language, HTML and DOCX
in 0.9 s, with PDFs in 5.0 s (goal ≤ 10 s). A save is `decide` itself: it validates the event and
extracts the templates' strings for the catalogs; telling 50 viewers takes a few milliseconds.
Since a save keeps the session's parses of the content files it does not touch and each template's
extracted strings (bench/devices.py, "decision save": each saves 25–47 % of a save), measured with
four other processes' tests running on the 2 cores (load average 3.4): median 118 ms, p95 218 ms;
60 MiB with 50 viewers, 72 MiB with 200; the documents 1.3 s, with PDFs 3.8 s. Idle (load 0.0):
median 86 ms, p95 141 ms; 65 and 76 MiB; the documents 0.7 s, with PDFs 4.0 s.

The workspace, in the same run (``--only previews`` or ``--only catalog`` for one part): an open Preview
view of the concept note listens to /api/events; a translator saves a Lao translation (PUT
/api/catalogs/lo/entries/KEY) and an organizer a field of content/event.yaml (PUT /api/content/event),
each timed from the request until the view has had the ``files`` event and both languages' pages,
showing the change (goals: p95 ≤ 150 ms and ≤ 300 ms). Beside it, alternating, a translation saved when
every page is made before the two the reader looks at (the pages made when first asked for, off). Then
bench/grow.py makes a 5,000-entry Lao catalog and two servers open its translate view, one listing each
document's first entries (the rest as the list is scrolled), one every entry at once: the server's answer,
and in Chromium the first screen (first contentful paint) and the list scrolled to its end, alternating
pairs (goal: first screen ≤ 1 s). Figures: README, "Speed".
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]  # grow.py (bench/), and the package and tests/chromium.py


def copy_sample(target: Path) -> Path:
    shutil.copytree(REPO / "content", target / "content")
    shutil.copytree(REPO / "locales", target / "locales", ignore=shutil.ignore_patterns("*.mo"))
    return target


#: The translate view's list without its device (every entry of a document listed at once), turned off from
#: outside the package as bench/devices.py turns devices off.
WHOLE_LISTS = ("import sys; sys.path.insert(0, sys.argv[1]); import songphasa.serve.workspace as w; w.SHOWN = 10**9; "
               "from songphasa.cli import main; sys.argv[1:2] = []; raise SystemExit(main())")


def start(root: Path, *, whole_lists: bool = False) -> tuple[subprocess.Popen, dict[str, str]]:
    """Start the server; return it and its links by role."""
    program = ["-c", WHOLE_LISTS, str(REPO)] if whole_lists else [str(REPO / "build.py")]
    process = subprocess.Popen([sys.executable, *program, "--project", str(root), "serve"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    links: dict[str, str] = {}
    assert process.stdout is not None
    for line in process.stdout:
        found = re.fullmatch(r"\s+(secretariat|projector|booth \w+|translator \w+|organizer)\s+(http://\S+)\n", line)
        if found:
            links[found.group(1)] = found.group(2)
        if "Ctrl-C" in line:
            break
    return process, links


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Viewer:
    """One viewer's stream: the time each state version, and each version of the files (the previews'), arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.files: list[tuple[str, float]] = []  # a version may come back (a text saved back as it was)
        self.ready = asyncio.Event()

    async def run(self, host: str, port: int, token: str) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(f"GET /api/events?token={token}&since=none HTTP/1.1\r\nHost: {host}:{port}\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        await writer.drain()
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                if line.startswith(b"data: "):
                    data = json.loads(line[6:])
                    if "files" in data:
                        self.files.append((data["files"], time.perf_counter()))
                    else:
                        self.arrived.setdefault(data["version"], time.perf_counter())
                    self.ready.set()
        finally:
            writer.close()


def post(link: str, rec: str, body: dict) -> dict:
    parts = urlsplit(link)
    token = parts.query.split("token=")[1]
    request = urllib.request.Request(f"{parts.scheme}://{parts.netloc}/api/decisions/{rec}?token={token}",
                                     data=json.dumps(body).encode(), headers={"Content-Type": "application/json"},
                                     method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def state(link: str) -> dict:
    parts = urlsplit(link)
    with urllib.request.urlopen(f"{parts.scheme}://{parts.netloc}/api/state?{parts.query}", timeout=60) as response:
        return json.load(response)


async def measure(links: dict[str, str], viewers: int, saves: int, more: int, pid: int) -> None:
    parts = urlsplit(links["projector"])
    host, port, token = parts.hostname or "127.0.0.1", parts.port or 80, parts.query.split("token=")[1]
    crowd = [Viewer() for _ in range(viewers)]
    tasks = [asyncio.create_task(v.run(host, port, token)) for v in crowd]
    await asyncio.wait_for(asyncio.gather(*(v.ready.wait() for v in crowd)), 60)
    idle = rss_mib(pid)
    to_all, each = [], []
    # Each save a new text: the state's version is a hash of the files, and the same text makes the same files.
    texts = ["Resolved that an inter-ministerial steering committee be formed at Deputy Minister level.",
             "Resolved that an inter-ministerial steering committee be formed at Minister level."]
    for n in range(saves):
        rec = next(r for r in (await asyncio.to_thread(state, links["secretariat"]))["recommendations"]
                   if r["id"] == "1.2")
        sent = time.perf_counter()
        new = await asyncio.to_thread(post, links["secretariat"], "1.2",
                                      {"status": "modified", "text": {"en": f"{texts[n % 2]} ({n + 1})"},
                                       "version": rec["version"]})
        saved = time.perf_counter()
        deadline = time.perf_counter() + 30
        while not all(new["version"] in v.arrived for v in crowd) and time.perf_counter() < deadline:
            await asyncio.sleep(0.002)
        times = [v.arrived.get(new["version"], float("inf")) - sent for v in crowd]
        to_all.append(max(times))
        each.extend(times)
        print(f"  save {n + 1}: answered in {1000 * (saved - sent):.0f} ms, every viewer had it after "
              f"{1000 * max(times):.0f} ms", flush=True)

    def p95(values: list[float]) -> float:
        return sorted(values)[max(0, round(0.95 * len(values)) - 1)]
    print(f"{viewers} viewers, {saves} saves: save → every viewer has it: median {1000 * statistics.median(to_all):.0f} ms, "
          f"p95 {1000 * p95(to_all):.0f} ms (each viewer: median {1000 * statistics.median(each):.0f} ms, "
          f"p95 {1000 * p95(each):.0f} ms)")
    print(f"server memory with {viewers} viewers: {idle:.0f} MiB resident")
    extra = [Viewer() for _ in range(more - viewers)]
    tasks += [asyncio.create_task(v.run(host, port, token)) for v in extra]
    await asyncio.wait_for(asyncio.gather(*(v.ready.wait() for v in extra)), 60)
    print(f"server memory with {more} viewers: {rss_mib(pid):.0f} MiB resident")
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for pdf in ("0", "1"):
        started = time.perf_counter()
        made = await asyncio.to_thread(summary, links["secretariat"], pdf)
        print(f"the documents after the last decision ({'HTML, DOCX and PDF' if pdf == '1' else 'HTML and DOCX'}, "
              f"every language): {made['documents']} in {time.perf_counter() - started:.1f} s")


def summary(link: str, pdf: str) -> dict:
    parts = urlsplit(link)
    request = urllib.request.Request(f"{parts.scheme}://{parts.netloc}/api/summary?pdf={pdf}&{parts.query}",
                                     method="POST")
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)


# --- the workspace: a save → the open previews updated; the translate view of a large catalog -----------------

def call(link: str, path: str, body: object = None, method: str = "GET") -> bytes:
    """A request with a role's token (its printed link); the answer's body."""
    parts = urlsplit(link)
    token = parts.query.split("token=")[1]
    request = urllib.request.Request(f"{parts.scheme}://{parts.netloc}{path}{'&' if '?' in path else '?'}token={token}",
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method=method)
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.read()


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def figures(name: str, values: list[float], goal: str = "") -> str:
    return (f"  {name}: median {1000 * statistics.median(values):.0f} ms, p95 {1000 * p95(values):.0f} ms "
            f"({len(values)} saves){' — goal ' + goal if goal else ''}")


async def previews(links: dict[str, str], rounds: int) -> None:
    """A translation saved, and a form field saved, until both languages' pages of the open preview have it.

    As the Preview view does: its stream tells the files' new version, then it fetches the document in each
    language at once. Each round also times a translation saved when the table of every document's counts is
    fetched first — every page made again before the two the reader looks at, as before pages were made when
    first asked for — alternating which of the two goes first.
    """
    organizer, translator = links["organizer"], links["translator lo"]
    parts = urlsplit(organizer)
    viewer = Viewer()
    task = asyncio.create_task(viewer.run(parts.hostname or "127.0.0.1", parts.port or 80,
                                          parts.query.split("token=")[1]))
    await asyncio.wait_for(viewer.ready.wait(), 60)
    catalog = json.loads(await asyncio.to_thread(call, translator, "/api/catalogs/lo"))
    title = next(e for e in catalog["entries"] if e["context"] == "concept-note.description.title")
    version = {"entry": title["version"],
               "event": json.loads(await asyncio.to_thread(call, organizer, "/api/content/event"))["version"]}
    texts = ["ລາຍລະອຽດຂອງກອງປະຊຸມ", "ຄຳອະທິບາຍກອງປະຊຸມ"]  # the sample's, then another: each save changes the file
    saves = 0

    async def until_shown(save: object, wanted: dict[str, str], every_page_first: bool) -> float:
        before = len(viewer.files)
        sent = time.perf_counter()
        await asyncio.to_thread(save)  # type: ignore[arg-type]
        deadline = sent + 60
        while len(viewer.files) == before and time.perf_counter() < deadline:
            await asyncio.sleep(0.002)
        if every_page_first:
            await asyncio.to_thread(call, organizer, "/fragments/preview?document=concept-note")
        pages = await asyncio.gather(*(asyncio.to_thread(call, organizer, f"/preview/{lang}/concept-note")
                                       for lang in ("en", "lo")))
        took = time.perf_counter() - sent
        for (lang, text), page in zip(wanted.items(), pages):
            assert text.encode() in page, f"the {lang} page does not show {text!r}"
        return took

    def translate() -> None:
        nonlocal saves
        saves += 1
        saved = json.loads(call(translator, f"/api/catalogs/lo/entries/{title['key']}",
                                {"msgstr": texts[saves % 2], "fuzzy": False, "version": version["entry"]}, "PUT"))
        version["entry"] = saved["version"]

    def edit(value: str) -> None:
        answer = json.loads(call(organizer, "/api/content/event",
                                 {"path": ["document_kind"], "value": value, "version": version["event"]}, "PUT"))
        version["event"] = answer["version"]

    asked, everything, form = [], [], []
    for n in range(rounds):
        for every_page_first in ((False, True) if n % 2 == 0 else (True, False)):
            took = await until_shown(translate, {"en": "Event Description", "lo": texts[(saves + 1) % 2]},
                                     every_page_first)
            (everything if every_page_first else asked).append(took)
        value = f"Concept Note and Agenda ({n + 1})"
        form.append(await until_shown(functools.partial(edit, value), {"en": value, "lo": value}, False))
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    print(f"The open preview (the concept note, English and Lao), {rounds} rounds, load average {load()}:")
    print(figures("a translation saved → both pages shown", asked, "p95 ≤ 150 ms"))
    print(figures("a form field saved (PUT /api/content/event) → both pages shown", form, "p95 ≤ 300 ms"))
    print(figures("a translation saved → every page made first, then both shown (without the device)", everything))
    ratios = [e / a for a, e in zip(asked, everything)]
    print(f"  pages made when first asked for: {statistics.median(ratios):.2f}× faster (median of {rounds} pairs)")


def translate_view(entries: int, folder: Path, pairs: int) -> None:
    """The translate view of a catalog of ``entries`` entries: the server's answer, then Chromium's first screen.

    Two servers on the same project, one listing each document's first entries and the rest as the list is
    scrolled (the device), one listing every entry at once; alternating pairs.
    """
    from grow import grow_catalog
    root = folder / "large"
    made = grow_catalog(REPO, root, entries)
    print(f"The translate view of a {made['entries']:,}-entry Lao catalog ({made['items']} agenda items, "
          f"{made['recommendations']} recommendations; the rest on no page), load average {load()}:")
    servers = {whole: start(root, whole_lists=whole) for whole in (False, True)}
    try:
        links = {whole: links["translator lo"] for whole, (_, links) in servers.items()}
        for whole, link in links.items():
            started = time.perf_counter()
            size = len(call(link, "/translate/lo"))
            print(f"  {'every entry listed' if whole else 'first entries listed'}: the first page after the server "
                  f"started (every page of the event made): {time.perf_counter() - started:.2f} s, {size / 1024:.0f} KiB")
        answers: dict[bool, list[float]] = {False: [], True: []}
        for n in range(pairs):
            for whole in ((False, True) if n % 2 == 0 else (True, False)):
                started = time.perf_counter()
                call(links[whole], "/translate/lo")
                answers[whole].append(time.perf_counter() - started)
        print(f"  the page again, the server's answer: median {statistics.median(answers[False]):.2f} s "
              f"(every entry listed: {statistics.median(answers[True]):.2f} s; {pairs} pairs)")
        screen(links, pairs)
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=30)


#: When the page was first painted with content (ms after the navigation began), as Chromium noted it.
FIRST_PAINT = """new Promise(done => new PerformanceObserver((found) => {
  const paint = found.getEntriesByName('first-contentful-paint')[0]; if (paint) done(paint.startTime);
}).observe({type: 'paint', buffered: true}))"""


def screen(links: dict[bool, str], pairs: int) -> None:
    """Chromium opens the view: its first screen (first contentful paint), the list scrolled to its end."""
    program = shutil.which("chromium") or shutil.which("chromium-browser")
    if program is None:
        print("  (no Chromium: the first screen is not measured)")
        return
    from tests.chromium import Browser
    with tempfile.TemporaryDirectory(prefix="songphasa-bench-chromium-") as profile:
        browser = Browser(program, {"HOME": profile, "PATH": "/usr/bin:/bin"}, Path(profile))
        try:
            painted: dict[bool, list[float]] = {False: [], True: []}
            loaded: dict[bool, list[float]] = {False: [], True: []}
            scrolled: dict[bool, list[float]] = {False: [], True: []}
            for n in range(pairs):
                for whole in ((False, True) if n % 2 == 0 else (True, False)):
                    page = browser.open_url(links[whole], width=1280, height=900)
                    painted[whole].append(browser.evaluate(page, FIRST_PAINT) / 1000)
                    loaded[whole].append(browser.evaluate(
                        page, "performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
                    scrolled[whole].append(browser.evaluate(page, """new Promise(done => {
                      const list = document.querySelector('.entries'); const started = performance.now();
                      list.scrollTop = list.scrollHeight;
                      requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - started))); })""")
                                           / 1000)
                    target = browser.send("Target.getTargetInfo", {}, page)["targetInfo"]["targetId"]
                    browser.send("Target.closeTarget", {"targetId": target})
            for whole, name in ((False, "first entries listed"), (True, "every entry listed")):
                print(f"  Chromium, 1280 px, {name}: first screen (first contentful paint) median "
                      f"{statistics.median(painted[whole]):.2f} s, loaded {statistics.median(loaded[whole]):.2f} s; "
                      f"the list scrolled to its end and drawn {1000 * statistics.median(scrolled[whole]):.0f} ms")
            ratios = [w / f for f, w in zip(painted[False], painted[True])]
            print(f"  first screen: first entries listed {statistics.median(ratios):.2f}× faster (median of {pairs} "
                  "pairs) — goal: first screen ≤ 1 s")
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--memory-viewers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20, help="rounds of the workspace's saves")
    parser.add_argument("--entries", type=int, default=5000, help="the large catalog's entries")
    parser.add_argument("--pairs", type=int, default=6, help="alternating pairs of the large catalog's view")
    parser.add_argument("--only", choices=("decisions", "previews", "catalog"),
                        help="one part: the decision session, the open previews, the large catalog's translate view")
    args = parser.parse_args()
    print(f"Load average at the start: {load()}")
    with tempfile.TemporaryDirectory(prefix="songphasa-bench-serve-") as folder:
        if args.only in (None, "decisions", "previews"):
            root = copy_sample(Path(folder) / "event")
            process, links = start(root)
            try:
                print(f"server started (pid {process.pid}), {rss_mib(process.pid):.0f} MiB resident with no viewer")
                if args.only in (None, "previews"):
                    asyncio.run(previews(links, args.rounds))
                if args.only in (None, "decisions"):
                    asyncio.run(measure(links, args.viewers, args.saves, max(args.memory_viewers, args.viewers),
                                        process.pid))
            finally:
                process.terminate()
                process.wait(timeout=30)
        if args.only in (None, "catalog"):
            translate_view(args.entries, Path(folder), args.pairs)
    print(f"Load average at the end: {load()}")


if __name__ == "__main__":
    main()
