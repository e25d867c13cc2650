"""Make a bigger event from the sample: N times the agenda items and recommendations.

Used by bench/build.py. The copy keeps the sample's people, organizations and
texts; sessions, items, topics and recommendations are repeated with new ids,
the items spread in time order over a long day, and the Lao catalog is
brought up to date and filled for the new strings (with the sample's Lao for
the same English, so the Lao documents are as long as real ones).
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

EVENT_START, EVENT_END = 5 * 60, 23 * 60 + 55  # minutes after midnight: the longest day an event can have
PLACEHOLDER_LAO = "ຂໍ້ຄວາມທົດລອງສຳລັບການວັດແທກຄວາມໄວ"  # "test text for measuring speed"


def grow_event(repo: Path, project: Path, factor: int) -> dict[str, int]:
    """Write an event project with ``factor`` times the sample's items; return its counts."""
    project.mkdir(parents=True)
    for name in ("content", "locales"):
        shutil.copytree(repo / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.width = 4096
    agenda = yaml.load((project / "content" / "agenda.yaml").read_text(encoding="utf-8"))
    recommendations = yaml.load((project / "content" / "recommendations.yaml").read_text(encoding="utf-8"))

    topics, topic_ids = [], {}
    for copy_index in range(factor):
        for topic in recommendations["topics"]:
            new = copy.deepcopy(topic)
            new["id"] = topic["id"] if copy_index == 0 else f"{topic['id']}-{copy_index}"
            topic_ids[(copy_index, topic["id"])] = new["id"]
            for rec in new["recommendations"]:
                rec["id"] = rec["id"] if copy_index == 0 else f"{rec['id']}-{copy_index}"
            topics.append(new)
    recommendations["topics"] = topics

    sessions = []
    for copy_index in range(factor):
        for session in agenda["sessions"]:
            new = copy.deepcopy(session)
            suffix = "" if copy_index == 0 else f"-{copy_index}"
            new["id"] += suffix
            for item in new["items"]:
                item["id"] += suffix
                item["topics"] = [topic_ids[(copy_index, t)] for t in item.get("topics", [])]
                if not item["topics"]:
                    del item["topics"]
                for speaker in item.get("speakers", []):
                    speaker.pop("minutes", None)  # slots get short; planned minutes would not fit
            sessions.append(new)
    agenda["sessions"] = sessions
    items = [item for session in sessions for item in session["items"]]
    step = (EVENT_END - EVENT_START) // (len(items) + 1)
    if step < 1:
        raise ValueError(f"{len(items)} agenda items do not fit in one day at one a minute")
    for index, item in enumerate(items):
        item["start"] = _hhmm(EVENT_START + index * step)

    with (project / "content" / "agenda.yaml").open("w", encoding="utf-8") as stream:
        yaml.dump(agenda, stream)
    with (project / "content" / "recommendations.yaml").open("w", encoding="utf-8") as stream:
        yaml.dump(recommendations, stream)
    event = project / "content" / "event.yaml"
    text = event.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^start: .*$', f'start: "{_hhmm(EVENT_START)}"', text, count=1)
    text = re.sub(r'(?m)^end: .*$', f'end: "{_hhmm(EVENT_END)}"', text, count=1)
    event.write_text(text, encoding="utf-8")

    _fill_lao_catalog(repo, project)
    return {"items": len(items), "recommendations": sum(len(t["recommendations"]) for t in topics),
            "entries": _entries(project)}


def _entries(project: Path) -> int:
    """How many entries the Lao catalog has (the header left out)."""
    text = (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    return len(re.findall(r'(?m)^msgid "', text)) - 1


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _fill_lao_catalog(repo: Path, project: Path) -> None:
    """Bring the catalogs up to date with the new strings and translate them."""
    done = subprocess.run([sys.executable, str(repo / "build.py"), "--project", str(project), "update"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"update failed in the grown event:\n{done.stdout}{done.stderr}")
    from songphasa.files import atomic_write
    from songphasa.i18n.po import po_text, read_catalog

    sample = read_catalog(repo / "locales" / "lo" / "LC_MESSAGES" / "messages.po", repo, locale="lo")
    lao = {message.id: message.string for message in sample if message.id and message.string}
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(path, project, locale="lo")
    for message in catalog:
        if not message.id:
            continue
        if not message.string or (isinstance(message.string, tuple) and not all(message.string)) \
                or "fuzzy" in message.flags:
            known = lao.get(message.id)
            if isinstance(message.id, tuple):
                message.string = known if isinstance(known, tuple) else (PLACEHOLDER_LAO,) * 2
            else:
                message.string = known if isinstance(known, str) else PLACEHOLDER_LAO
            message.flags.discard("fuzzy")
    atomic_write(path, po_text(catalog))


def grow_catalog(repo: Path, project: Path, entries: int) -> dict[str, int]:
    """Write an event project whose Lao catalog has ``entries`` entries; return its counts.

    The event is the sample at 100 times (about as large as the content's bound of 15,000 lines lets an event
    be: some 2,700 entries); the catalog's other entries are copies of its translated ones under contexts
    no page uses (they are listed "on no page"), as a catalog merged from a larger event's would have.
    """
    counts = grow_event(repo, project, 100)
    from songphasa.files import atomic_write
    from songphasa.i18n.po import po_text, read_catalog

    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(path, project, locale="lo")
    done = [m for m in catalog if m.id and m.string and not m.pluralizable]
    missing = entries - counts["entries"]
    for index in range(max(0, missing)):
        model = done[index % len(done)]
        catalog.add(model.id, model.string, context=f"bench.copy-{index}.{model.context or ''}",
                    auto_comments=["A copy, to make the catalog larger (bench/grow.py)"])
    atomic_write(path, po_text(catalog))
    return {**counts, "entries": _entries(project)}


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description="Make a bigger event from the sample (a new project folder).")
    parser.add_argument("target", type=Path, help="the project folder to make (must not exist)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--factor", type=int, help="the sample's agenda items and recommendations this many times")
    group.add_argument("--entries", type=int, help="a Lao catalog of this many entries")
    args = parser.parse_args()
    repo = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(repo))
    made = grow_catalog(repo, args.target, args.entries) if args.entries else grow_event(repo, args.target, args.factor)
    print(", ".join(f"{value} {name}" for name, value in made.items()))
