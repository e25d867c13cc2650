"""Shared fixtures: a fresh copy of the sample event project, built once."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent


def build(root: Path, **options):
    """Build a project as a command does: in a session of its own."""
    from songphasa.pipeline import build as build_session
    from songphasa.session import Session
    return build_session(Session(root), **options)


def distribute(root: Path, **options):
    """Make a project's packs as `--release distribute` does: in a session of its own."""
    from songphasa.output.distribution import distribute as distribute_session
    from songphasa.session import Session
    return distribute_session(Session(root), **options)


@contextmanager
def soffice_runs() -> Iterator[list[int]]:
    """Count the LibreOffice runs while the block runs: the list's length is their number."""
    import songphasa.output.pdf as pdf
    runs: list[int] = []
    original = pdf._run_watching

    def counted(*args, **kwargs):
        runs.append(1)
        return original(*args, **kwargs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "_run_watching", counted)
        yield runs


def copy_project(target: Path, **settings: str) -> Path:
    """Copy the sample event project, optionally changing settings in its event.yaml.

    Copied: content/, messages.pot and the catalogs of the languages the event
    declares (not a catalog someone is trying out); templates are built in.
    """
    from songphasa.content.load import load_event

    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", target / "content")
    event = target / "content" / "event.yaml"
    text = event.read_text(encoding="utf-8")
    for key, value in settings.items():
        text, count = re.subn(rf"(?m)^(\s+{key}:).*$", rf"\1 {value}", text)
        assert count == 1, f"no setting {key} in the sample's event.yaml"
    event.write_text(text, encoding="utf-8")
    (target / "locales").mkdir()
    shutil.copy2(REPO / "locales" / "messages.pot", target / "locales")
    for lang in load_event(target).event.settings.languages:
        shutil.copytree(REPO / "locales" / lang, target / "locales" / lang, ignore=shutil.ignore_patterns("*.mo"))
    return target


EXAMPLE = REPO / "examples" / "technical-workshop"


def copy_example(target: Path) -> Path:
    """Copy the second example event (two days, breaks, parallel groups), as a fresh clone has it."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXAMPLE / "content", target / "content")
    shutil.copytree(EXAMPLE / "locales", target / "locales", ignore=shutil.ignore_patterns("*.mo"))
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the sample project that a test may edit."""
    return copy_project(tmp_path / "event")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project built once (HTML and DOCX); do not modify it."""
    root = copy_project(tmp_path_factory.mktemp("built") / "event")
    build(root)
    return root


#: The names Chromium's program goes by (Debian's is chromium).
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def unavailable(reason: str) -> NoReturn:
    """Skip the test: a renderer (a program, font or dictionary) is missing — except in CI, where it fails."""
    if os.environ.get("SONGPHASA_REQUIRE_RENDERERS") == "1":
        pytest.fail(f"SONGPHASA_REQUIRE_RENDERERS=1 but {reason} (.ci/run installs it)")
    pytest.skip(reason)


def require_renderer(*tools: str) -> dict[str, str]:
    """Return the path of each program (soffice, chromium, pdffonts, java, …); skip, or fail in CI, without one."""
    from songphasa.output.pdf import find_soffice

    found = {}
    for tool in tools:
        names = CHROMIUM_NAMES if tool == "chromium" else (tool,)
        path = find_soffice() if tool == "soffice" else next((p for p in map(shutil.which, names) if p), None)
        if path is None:
            unavailable(f"{tool} is not installed")
        found[tool] = str(path)
    return found


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample as it goes out: built with PDFs, and the packs for every recipient made; do not modify it."""
    require_renderer("soffice")
    root = copy_project(tmp_path_factory.mktemp("published") / "event")
    build(root, formats=("html", "docx", "pdf"))
    distribute(root)
    return root


@pytest.fixture(scope="session")
def published_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second example event built with PDFs (it has no recipients, so no distribution); do not modify it."""
    require_renderer("soffice")
    root = copy_example(tmp_path_factory.mktemp("published-example") / "technical-workshop")
    build(root, formats=("html", "docx", "pdf"))
    return root


@pytest.fixture(scope="session")
def published_test_events(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The test events of tests/events/ (Thai beside Lao, a Lao-source event) built with PDFs; do not modify them."""
    require_renderer("soffice")
    roots = {}
    for name in ("three-languages", "lao-source"):
        roots[name] = tmp_path_factory.mktemp("published-events") / name
        shutil.copytree(REPO / "tests" / "events" / name, roots[name],
                        ignore=shutil.ignore_patterns("output", ".songphasa-cache", "*.mo"))
        build(roots[name], formats=("html", "docx", "pdf"))
    return roots


@pytest.fixture(scope="session", params=["sample", "technical-workshop", "three-languages", "lao-source"])
def published_event(request: pytest.FixtureRequest) -> Path:
    """Each event as it goes out (the sample with its distribution; the test events too)."""
    if request.param in ("three-languages", "lao-source"):
        return request.getfixturevalue("published_test_events")[request.param]
    return request.getfixturevalue("published" if request.param == "sample" else "published_example")
