"""A second process for work that can go on beside the build (the DOCX of a clean build).

A build renders every page, then writes a DOCX of each and the interpreters'
pack. With two or more processors, a forked process writes the documents'
DOCX (into the DOCX cache) while this one makes the pack and the index; the
build then takes the DOCX from the cache. Nothing depends on the second
process: if it cannot start or fails, this one makes what is missing, with
the same bytes and the same errors.

Forking is safe only while this process has a single thread: a lock another
thread held at the fork would stay locked in the child. So it happens only
on Linux (where /proc tells the threads of the process, the native ones
too), and never in `watch` (watchfiles has threads of its own).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable


def can_fork() -> bool:
    """Tell whether a second process can share the work: Linux, two processors, one thread."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return False
    if os.environ.get("SONGPHASA_PROCESSES") == "1":  # one process, for a profile or a debugger
        return False
    try:
        return threading.active_count() == 1 and len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def in_background(work: Callable[[], object]) -> Callable[[], bool] | None:
    """Run work() in a forked process; return the function that waits for it (True: it succeeded).

    None when no process could start; the caller does the work itself.
    """
    if not can_fork():
        return None
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the second process: do the work, and leave without running anything of the first's
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it as it ends the build, quietly
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _die_with(parent)
            work()
            status = 0
        except BaseException:  # noqa: BLE001 — the first process does the work again and reports what fails
            pass
        finally:
            os._exit(status)

    def wait() -> bool:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return False
        return os.waitstatus_to_exitcode(status) == 0
    return wait


def _die_with(parent: int) -> None:
    """End this process when the build's ends (a killed build leaves nothing running that holds its lock)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


__all__ = ["can_fork", "in_background"]
