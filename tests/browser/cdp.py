"""A headless Chromium driven over the DevTools protocol: just enough to load a page at a width,
evaluate JavaScript in it, run axe-core and take a screenshot. No browser download: Debian's
`chromium` package (installed by scripts/test.sh as root) and websocket-client from PyPI."""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import websocket

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("GRADER_AXE_JS", ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"))
"""axe-core, from the npm registry (scripts/test.sh fetches it there: scripts/fetch_axe.py)."""
ARTIFACTS = Path(os.environ.get("GRADER_BROWSER_ARTIFACTS", ROOT / "build" / "browser"))
"""Where the screenshots go (a test artifact: look at them)."""
EXECUTABLES = ("chromium", "chromium-browser", "google-chrome")
DEVTOOLS = re.compile(r"DevTools listening on (ws://\S+)")


def find_chromium() -> str | None:
    return next((path for name in EXECUTABLES if (path := shutil.which(name))), None)


class Browser:
    """One headless Chromium process and one page in it."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.TemporaryDirectory(prefix="grader-chromium-", ignore_cleanup_errors=True)
        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        url = self._devtools_url()
        self.socket = websocket.create_connection(url, timeout=60)
        self.ids = itertools.count(1)
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.command("Page.enable")

    def _devtools_url(self) -> str:
        assert self.process.stderr is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if match := DEVTOOLS.search(line):
                return match.group(1)
            if not line and self.process.poll() is not None:
                break
        raise RuntimeError("Chromium did not start its DevTools endpoint")

    def _send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        message_id = next(self.ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def command(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self._send(method, params, self.session)

    def open(self, path: Path, width: int, height: int = 900) -> None:
        """Load a local file at this viewport width, and wait until it has loaded."""
        self.command("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        for url in ("about:blank", path.resolve().as_uri()):  # via a blank page: always a new document
            self.command("Page.navigate", {"url": url})
            deadline = time.monotonic() + 30
            while self.evaluate("location.href + ' ' + document.readyState") != f"{url} complete":
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} did not finish loading")
                time.sleep(0.02)

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        result = self.command("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                   "awaitPromise": await_promise})
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def axe(self, source: str) -> list[dict[str, Any]]:
        """axe-core's violations on the loaded page (WCAG 2 A and AA rules, and best practices)."""
        self.evaluate(source)
        return self.evaluate("axe.run(document).then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
                             " help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
                             await_promise=True)

    def screenshot(self, path: Path) -> None:
        size = self.command("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 12_000), "scale": 1}
        data = self.command("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                       "clip": clip})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self._send("Browser.close")
            self.process.wait(10)
        except (OSError, RuntimeError, subprocess.TimeoutExpired, websocket.WebSocketException):
            pass
        finally:
            self.socket.close()
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # its helper processes too
            except ProcessLookupError:
                pass
            self.process.wait(10)
            self.profile.cleanup()
