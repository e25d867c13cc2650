"""One event project as a long-lived process keeps it between builds."""

from __future__ import annotations

from pathlib import Path

from .files import ProjectLock
from .project import Project


class Session:
    """What a process keeps of one project: its folders and its write lock."""

    def __init__(self, root: Path) -> None:
        self.project = Project.at(root)
        self.lock = ProjectLock(self.project.root)

    @property
    def root(self) -> Path:
        return self.project.root
