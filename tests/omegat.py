"""OmegaT for the tests: a project folder as OmegaT 3.6 (Debian) wants it, and its headless run."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .conftest import require_renderer

PROJECT_FILE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat><project version="1.0">
  <source_dir>__DEFAULT__</source_dir><source_dir_excludes/><target_dir>__DEFAULT__</target_dir>
  <tm_dir>__DEFAULT__</tm_dir><glossary_dir>__DEFAULT__</glossary_dir><glossary_file>__DEFAULT__</glossary_file>
  <dictionary_dir>__DEFAULT__</dictionary_dir><source_lang>en</source_lang><target_lang>lo</target_lang>
  <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
  <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
  <sentence_seg>false</sentence_seg><support_default_translations>true</support_default_translations>
  <remove_tags>false</remove_tags>
</project></omegat>
"""


def omegat_project(folder: Path) -> Path:
    """Make an empty English→Lao OmegaT project (source/, target/, tm/auto/, glossary/ …) and return it."""
    for name in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (folder / name).mkdir(parents=True)
    (folder / "omegat.project").write_text(PROJECT_FILE, encoding="utf-8")
    return folder


def translate(project: Path, config: Path, script: Path | None = None) -> subprocess.CompletedProcess:
    """Run OmegaT headless on a project (console-translate: its memories fill target/), a Groovy script beside."""
    omegat = require_renderer("omegat")["omegat"]
    command = [omegat, "--mode=console-translate", f"--config-dir={config}", "--no-team", "--disable-project-locking",
               "--quiet", *([f"--script={script}"] if script else []), str(project)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
