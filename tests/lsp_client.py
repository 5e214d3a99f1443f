"""A bare Language Server Protocol client over a child's stdio, as an editor would be: JSON-RPC
messages framed by Content-Length headers. Used by tests/test_lsp.py and benchmarks/lsp_latency.py."""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path


class LspClient:
    def __init__(self, cwd: Path, env: dict, stderr) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reuse_lint", "server"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, cwd=cwd, env=env,
        )
        self._ids = itertools.count(1)
        self._inbox: queue.Queue = queue.Queue()
        self._held: list[tuple[float, dict]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self._inbox.put((time.perf_counter(), None))
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            self._inbox.put((time.perf_counter(), json.loads(body)))

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> float:
        """Send a notification; the time it was sent."""
        sent = time.perf_counter()
        self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return sent

    def request(self, method: str, params: dict | None, timeout: float = 60) -> dict:
        ident = next(self._ids)
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        _, reply = self.wait(lambda m: m.get("id") == ident and "method" not in m, timeout)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait(self, matches, timeout: float = 60) -> tuple[float, dict]:
        """The first message (and when it arrived) that `matches`; others are kept for later
        waits. The timeout only keeps a broken server from hanging the caller."""
        for i, (at, message) in enumerate(self._held):
            if matches(message):
                del self._held[i]
                return at, message
        deadline = time.monotonic() + timeout
        while True:
            at, message = self._inbox.get(timeout=max(deadline - time.monotonic(), 0.001))
            if message is None:
                raise EOFError("the server closed its output")
            if matches(message):
                return at, message
            self._held.append((at, message))

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 60) -> tuple[float, list[dict]]:
        def matches(m: dict) -> bool:
            return (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                    and (version is None or m["params"].get("version") == version))

        at, message = self.wait(matches, timeout)
        return at, message["params"]["diagnostics"]

    def respond(self, request: dict, result=None) -> None:
        """Answer a request the server sent (client/registerCapability)."""
        self._send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def initialize(self, root: Path, capabilities: dict | None = None) -> dict:
        result = self.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                             "capabilities": capabilities or {}})
        self.notify("initialized", {})
        return result

    def close(self) -> int:
        self.request("shutdown", None)
        self.notify("exit", {})
        return self.proc.wait(timeout=30)
