"""Shared fixtures: a fresh copy of the sample event project, built once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def copy_project(target: Path) -> Path:
    """Copy the sample event project (content and catalogs; templates are built in)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "locales"):
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("*.mo"))
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the sample project that a test may edit."""
    return copy_project(tmp_path / "event")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project built once (HTML and DOCX); do not modify it."""
    from songphasa.pipeline import build
    root = copy_project(tmp_path_factory.mktemp("built") / "event")
    build(root)
    return root


def require_renderer(*tools: str) -> None:
    """Skip when a renderer is missing — except in CI, where it must be there."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        message = f"needs {', '.join(missing)} (installed by .ci/run)"
        if os.environ.get("SONGPHASA_REQUIRE_RENDERERS") == "1":
            pytest.fail(message)
        pytest.skip(message)
