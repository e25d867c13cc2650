"""Render one template; a mistake in a template is an error at its file and line, never a traceback."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SecurityError

from ..errors import Problem, TemplateError

#: The most seconds one page may take to render (the sample's take milliseconds): a received project's
#: template with two loops of range(100000), one in the other, ran on without end.
RENDER_SECONDS = 20


class _TooSlow(Exception):
    """Rendering a page took more than RENDER_SECONDS."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (in the main thread, where a signal can; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; a mistake in it becomes a TemplateError naming its file and line."""
    try:
        with _deadline(RENDER_SECONDS):
            return env.get_template(name).render(context)
    except _TooSlow as exc:
        line = template_line(exc)
        raise TemplateError(Problem(line[0] or f"templates/{name}", line[1],
                                    f"the page took more than {RENDER_SECONDS} s to render (a loop without end?)",
                                    "look at the loops of this template: each should go through the content once"))  \
            from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(Problem(template_name(exc.filename, exc.name), exc.lineno,
                                    f"template syntax error: {exc.message}", "fix the template tag on this line")) from None
    except jinja2.UndefinedError as exc:
        line = template_line(exc)
        raise TemplateError(Problem(line[0] or f"templates/{name}", line[1],
                                    f"template uses an undefined name: {exc.message}",
                                    "check the spelling against the names the templates receive (see README)")) from None
    except jinja2.TemplateNotFound as exc:
        line = template_line(exc)
        raise TemplateError(Problem(line[0] or f"templates/{name}", line[1], f"template '{exc.name}' not found",
                                    "check the name in the include, import or extends tag")) from None
    except SecurityError as exc:
        line = template_line(exc)
        raise TemplateError(Problem(line[0] or f"templates/{name}", line[1],
                                    f"template reaches beyond the values it is given ({exc})",
                                    "use only the names the templates receive (see README)")) from None
    except Exception as exc:
        # An error raised by the template's own code (1/0, a wrong filter argument) is the
        # template's; one raised deeper, in Songphasa's helpers, is ours and stays a bug.
        if not _raised_in_template(exc):
            raise
        line = template_line(exc)
        raise TemplateError(Problem(line[0] or f"templates/{name}", line[1],
                                    f"template error: {type(exc).__name__}: {exc}",
                                    "fix the expression on this line of the template")) from None


def _raised_in_template(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    filename = tb.tb_frame.f_code.co_filename
    return filename.endswith(".html") or f"{os.sep}jinja2{os.sep}" in filename


def template_name(filename: str | None, name: str | None) -> str:
    if filename:
        path = Path(filename)
        return f"{path.parent.name}/{path.name}"
    return f"templates/{name}"


def template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """Find the template file and line in a traceback of rendered template code."""
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            found = (template_name(filename, None), tb.tb_lineno)
        tb = tb.tb_next
    return found
