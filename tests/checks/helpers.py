"""What the checks' tests share: a test glossary, entries to check, the fixture files and the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from ruamel.yaml import YAML

from songphasa.checks import registry
from songphasa.checks.entry import Entry, Finding, GlossaryTerm, Terms
from songphasa.i18n import po as catalogs

REPO = Path(__file__).resolve().parent.parent.parent
EVENTS = REPO / "tests" / "events"
FIXTURES = REPO / "tests" / "fixtures" / "checks"

ODSC = GlossaryTerm(
    source="One Door Service Centre",
    target="ສູນບໍລິການຜ່ານປະຕູດຽວ",
    source_abbr="ODSC",
    target_abbr="ສບປດ",
    variants=("One-Door-Service Center", "One Door Service Center"),
)
GLOSSARY = (
    ODSC,
    GlossaryTerm(source="Ministry of Home Affairs", target="ກະຊວງພາຍໃນ", source_abbr="MOHA"),
    GlossaryTerm(source="Zoom", target="Zoom", dnt=True),
    GlossaryTerm(source="UN DESA", target="UN DESA", dnt=True),
    GlossaryTerm(source="UNDP", target="ອົງການພັດທະນາສະຫະປະຊາຊາດ"),
)
NAMES = ("Juwang Zhu", "Zhu")


def translated(source: str, translation: str, *, glossary: tuple[GlossaryTerm, ...] = GLOSSARY,
               names: tuple[str, ...] = NAMES, flags: frozenset[str] = frozenset(), **settings: Any) -> list[Finding]:
    """Run every translation check of the registry on one entry (English into Lao unless told)."""
    entry = Entry(source, translation, flags, terms=Terms(glossary, names), **settings)
    return registry.findings(entry, "translation")


def cases(*checks: str) -> list:
    """The fixture files of the checks named: one bad input each, with the finding it must give beside it."""
    yaml = YAML(typ="safe")
    params = []
    for check in checks:
        paths = sorted((FIXTURES / check).glob("*.yaml"))
        assert paths, f"no fixture for the {check} check"
        params += [pytest.param(check, yaml.load(path.read_text(encoding="utf-8")), id=f"{check}/{path.stem}")
                   for path in paths]
    return params


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the command line on a project, as a user does."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(root), *args],
                          capture_output=True, text=True, encoding="utf-8")


def copy_event(name: str, tmp_path: Path) -> Path:
    """Copy a test event of tests/events/ as a fresh clone has it."""
    root = tmp_path / name
    shutil.copytree(EVENTS / name, root, ignore=shutil.ignore_patterns("output", ".songphasa-cache", "*.mo"))
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of a text in a file, which must have it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def po_of(project: Path, lang: str = "lo") -> Catalog:
    """Read a project's catalog of one language."""
    return catalogs.read_catalog(project / "locales" / lang / "LC_MESSAGES" / "messages.po", project, locale=lang)


def give_an_address(project: Path, start: str) -> None:
    """Give a concept-note paragraph an address in both languages (no sample paragraph has one).

    ``start``: how the paragraph's English begins; its Lao translation gets the address and is confirmed.
    """
    edit(project / "content" / "concept-note.md", "will participate in the event.",
         "will participate in the event. Questions: zhu@un.org.")
    assert run(project, "update").returncode == 0
    catalog = po_of(project)
    entry = next(m for m in catalog if m.id.startswith(start))
    entry.string += " zhu@un.org"
    entry.flags.discard("fuzzy")
    (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").write_text(catalogs.po_text(catalog), encoding="utf-8")
