"""Progress display for long work (PDF conversion, distribution).

On a terminal: rich progress bars. Elsewhere (CI, logs, pipes): plain lines,
so a log shows what happened without control characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, Protocol, TextIO


class Progress(Protocol):
    """Where distribute() reports its work: one stage at a time, with steps."""

    def stage(self, description: str, total: int | None = None) -> None: ...
    def advance(self, steps: int = 1) -> None: ...


class Silent:
    def stage(self, description: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


class Lines:
    """Plain lines for logs and CI: one per stage, and one per quarter of a long stage."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.description, self.done = stream, "", 0
        self.total: int | None = None

    def stage(self, description: str, total: int | None = None) -> None:
        self.description, self.total, self.done = description, total, 0
        print(f"{description}{f' ({total})' if total and total > 1 else ''}…", file=self.stream, flush=True)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.total and self.total >= 20 and self.done % (self.total // 4) == 0 and self.done < self.total:
            print(f"  {self.description}: {self.done}/{self.total}", file=self.stream, flush=True)


class Bars:
    """rich progress bars on a terminal, one per stage.

    The bars (and rich's thread that redraws them) start with the first
    stage: a build that has none (no PDF) neither imports rich nor starts
    that thread.
    """

    def __init__(self, start: Any) -> None:
        self.start = start
        self.progress: Any = None  # a rich Progress, from the first stage on
        self.task: Any = None

    def stage(self, description: str, total: int | None = None) -> None:
        self.finish()
        if self.progress is None:
            self.progress = self.start()
        self.task = self.progress.add_task(description, total=total)

    def finish(self) -> None:
        """Show the stage under way as complete (a stage may count its steps roughly)."""
        if self.task is not None:
            total = self.progress.tasks[-1].total or 1
            self.progress.update(self.task, completed=total, total=total)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, steps)


@contextmanager
def progress_display(stream: TextIO) -> Iterator[Progress]:
    """Show progress as rich bars when the stream is a terminal, as plain lines otherwise."""
    if not stream.isatty():
        yield Lines(stream)
        return
    with ExitStack() as stack:
        def start() -> Any:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress
            return stack.enter_context(RichProgress(TextColumn("{task.description}"), BarColumn(),
                                                    MofNCompleteColumn(), TimeElapsedColumn(),
                                                    console=Console(file=stream), transient=False))
        bars = Bars(start)
        yield bars
        bars.finish()
