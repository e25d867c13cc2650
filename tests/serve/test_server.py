"""Tests for songphasa.serve.server and `serve` on the command line: the links, a real stream, kill -9."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ..conftest import REPO
from ..i18n.helpers import run
from .helpers import MODIFIED_EN, MODIFIED_LO

WAIT = 30  # seconds the server may take to start or to hear a file change on a busy machine


class Server:
    """`build.py serve` in a subprocess, its printed links read by role."""

    def __init__(self, root: Path, *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--project", str(root), "serve", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.links: dict[str, str] = {}
        deadline = time.monotonic() + WAIT
        while "Ctrl-C" not in "".join(self.output):
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                pytest.fail("serve printed no links within the time; it said:\n" + "\n".join(self.output))
            self.output.append(line)
            found = re.fullmatch(r"\s+(secretariat|projector|booth \w+|translator \w+)\s+(http://\S+)", line)
            if found:
                self.links[found.group(1)] = found.group(2)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def url(self, role: str, path: str) -> str:
        """An address of this server with a role's token."""
        base, token = self.links[role].split("?token=")
        return re.sub(r"(https?://[^/]+).*", r"\1", base) + path + ("&" if "?" in path else "?") + f"token={token}"

    def get(self, role: str, path: str) -> dict:
        with urllib.request.urlopen(self.url(role, path), timeout=WAIT) as response:
            return json.load(response)

    def post(self, path: str, body: dict) -> tuple[int, dict | str]:
        request = urllib.request.Request(self.url("secretariat", path), data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=WAIT) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=WAIT)
        assert self.process.stdout is not None
        self.process.stdout.close()


def rec_of(state: dict, rec_id: str) -> dict:
    return next(r for r in state["recommendations"] if r["id"] == rec_id)


def test_serve_prints_one_link_per_role_each_with_its_own_token(project: Path) -> None:
    server = Server(project)
    try:
        assert list(server.links) == ["secretariat", "projector", "booth en", "booth lo", "translator lo"]
        tokens = {link.split("?token=")[1] for link in server.links.values()}
        assert len(tokens) == 5 and all(len(t) >= 20 for t in tokens)
        assert all(link.startswith("http://127.0.0.1:") for link in server.links.values())
        assert server.get("projector", "/api/state")["languages"] == ["en", "lo"]
    finally:
        server.stop()
    assert server.process.returncode == 0


def test_a_decision_survives_kill_9_and_a_restart_shows_it(project: Path) -> None:
    server = Server(project)
    try:
        version = rec_of(server.get("projector", "/api/state"), "1.2")["version"]
        status, answer = server.post("/api/decisions/1.2", {"status": "modified", "version": version,
                                                            "text": {"en": MODIFIED_EN, "lo": MODIFIED_LO}})
        assert status == 200, answer
        status, answer = server.post("/api/current/3.1", {})  # the next one taken up
        assert status == 200, answer
    finally:
        server.stop(signal.SIGKILL)
    again = Server(project)
    try:
        state = again.get("booth lo", "/api/state")
        rec = rec_of(state, "1.2")
        assert rec["status"] == "modified"
        assert rec["confirmed"] == {"en": MODIFIED_EN, "lo": MODIFIED_LO}
        assert state["current"] == "3.1"  # the projector and the booths show what they showed
        [entry] = again.get("projector", "/api/log")["entries"]
        assert (entry["recommendation"], entry["status"], entry["by"]) == ("1.2", "modified", "session")
        assert not list((project / "content").glob(".*.tmp"))
    finally:
        again.stop()


def test_decide_on_the_command_line_reaches_the_server(project: Path) -> None:
    server = Server(project)
    try:
        result = run(project, "decide", "2.1", "--status", "accepted")
        assert result.returncode == 0, result.stderr
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            state = server.get("projector", "/api/state")
            if rec_of(state, "2.1")["status"] == "accepted":
                break
            time.sleep(0.1)
        assert rec_of(state, "2.1")["status"] == "accepted"
        assert state["current"] == "2.1"
    finally:
        server.stop()


def test_a_port_in_use_is_a_plain_error(project: Path) -> None:
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), "serve",
                                 "--port", str(port)], capture_output=True, text=True, timeout=WAIT)
    assert result.returncode == 1
    assert f"cannot listen on port {port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_lan_listens_on_every_interface_and_links_name_this_computer(project: Path) -> None:
    from songphasa.serve.server import prepare
    session = prepare(project, lan=True, hosts=("room-laptop.local",))
    try:
        assert session.socket.getsockname()[0] == "0.0.0.0"
        assert all(link.startswith(f"http://room-laptop.local:{session.port}/") for _, link in session.links)
    finally:
        session.socket.close()
    local = prepare(project)
    try:
        assert local.socket.getsockname()[0] == "127.0.0.1"
    finally:
        local.socket.close()


def test_a_restarted_server_prints_the_same_links_and_new_links_makes_new_tokens(project: Path) -> None:
    first = Server(project)
    first.stop()
    again = Server(project)
    again.stop()
    assert again.links == first.links  # the projector and the booths reconnect without new links
    tokens = [link.split("?token=")[1] for link in first.links.values()]
    for path in project.rglob("*"):  # kept in the user's own cache, never in the project folder that travels
        if path.is_file():
            assert not any(token.encode() in path.read_bytes() for token in tokens), path
    fresh = Server(project, "--new-links")
    fresh.stop()
    assert not {link.split("?token=")[1] for link in fresh.links.values()} & set(tokens)


def test_links_planted_in_the_users_cache_by_someone_else_are_not_used(project: Path) -> None:
    from songphasa.serve.server import kept_links_path
    path = kept_links_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    planted = "p" * 24
    path.write_text(json.dumps({"port": 1, "tokens": {"secretariat": planted}}), encoding="utf-8")
    server = Server(project)
    server.stop()
    assert planted not in server.links["secretariat"]
    assert server.links["secretariat"].split("?token=")[1].encode() in path.read_bytes()  # the server's own, sealed
