"""Headless Chromium for the tests, driven over the DevTools protocol on a pipe."""

from __future__ import annotations

import base64
import json
import os
import select
import struct
import subprocess
import time
import zlib
from pathlib import Path


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (no port, no websocket).

    With --remote-debugging-pipe Chromium reads JSON commands from fd 3 and
    writes replies to fd 4, each message ended by a NUL byte.
    """

    def __init__(self, program: str, env: dict[str, str], profile: Path) -> None:
        to_browser, self._out = os.pipe()
        self._in, from_browser = os.pipe()

        def as_fds_3_and_4() -> None:
            # dup first: a pipe end that already is fd 3 or 4 would stay close-on-exec.
            read, write = os.dup(to_browser), os.dup(from_browser)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.log = profile / "chromium.log"
        self._log = self.log.open("wb")
        self.process = subprocess.Popen(
            [program, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--force-device-scale-factor=1",
             # Tabs in the background keep their timers and rendering (the session's pages update there).
             "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
             "--disable-backgrounding-occluded-windows", f"--user-data-dir={profile}", "about:blank"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log,
            preexec_fn=as_fds_3_and_4, close_fds=False)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._id = 0

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:
        """Send one command and return its result (events in between are dropped)."""
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply["result"]
            ready, _, _ = select.select([self._in], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError(f"Chromium did not answer {method} within {timeout} s")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the pipe: {self.log.read_text(errors='replace')[-2000:]}")
            self._buffer += chunk

    def open(self, path: Path, width: int = 1000, height: int = 1400) -> str:
        """Load a file in a new tab, wait until it and its fonts are ready, return the session."""
        return self.open_url(path.as_uri(), width, height)

    def open_url(self, url: str, width: int = 1000, height: int = 1400) -> str:
        """Load an address in a new tab, wait until it and its fonts are ready, return the session."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
        self.send("Page.navigate", {"url": url}, session)
        self.evaluate(session, "new Promise(done => document.readyState === 'complete' ? done() :"
                               " addEventListener('load', done)).then(() => document.fonts.ready).then(() => 1)")
        return session

    def evaluate(self, session: str, expression: str):
        reply = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                               "returnByValue": True}, session)
        if "exceptionDetails" in reply:
            raise RuntimeError(reply["exceptionDetails"])
        return reply["result"].get("value")

    def fonts_of(self, session: str, selector: str) -> list[list[dict]]:
        """Return CSS.getPlatformFontsForNode for every element the selector finds."""
        self.send("DOM.enable", session=session)
        self.send("CSS.enable", session=session)
        root = self.send("DOM.getDocument", {"depth": 0}, session)["root"]["nodeId"]
        nodes = self.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector}, session)["nodeIds"]
        return [self.send("CSS.getPlatformFontsForNode", {"nodeId": node}, session)["fonts"] for node in nodes]

    def screenshot(self, session: str, selector: str) -> tuple[int, int, bytes]:
        """Return (width, height, RGBA pixels) of the box of the first element the selector finds."""
        box = self.evaluate(session, f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                                     ".getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()")
        clip = dict(zip(("x", "y", "width", "height"), box), scale=1)
        png = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png", "clip": clip}, session)["data"])
        return decode_png(png)

    def print_to_pdf(self, session: str) -> bytes:
        """Print the page as a PDF, on the paper its print stylesheet's @page asks for (as Ctrl-P does)."""
        reply = self.send("Page.printToPDF", {"preferCSSPageSize": True}, session, timeout=120)
        return base64.b64decode(reply["data"])

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._out)
        os.close(self._in)
        self._log.close()


def decode_png(data: bytes) -> tuple[int, int, bytes]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) to RGBA pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, idat = 8, {}, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IDAT":
            idat += body
        else:
            chunks[kind] = body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    channels = 4 if colour == 6 else 3
    stride = width * channels
    raw = zlib.decompress(idat)
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line) if channels == 4 else
                    b"".join(bytes(line[i:i + 3]) + b"\xff" for i in range(0, stride, 3)))
        previous = line
    return width, height, b"".join(rows)
