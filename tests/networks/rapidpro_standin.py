"""A local stand-in for RapidPro's broadcast API, on a real socket: ``POST /api/v2/broadcasts.json``
with ``Authorization: Token <token>`` and ``{"urns": [...], "text": "..."}`` answers 201 with the
queued broadcast, as RapidPro does. ``mode`` makes it fail (500), refuse the token (403) or answer
too late (a time-out for the caller)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STANDIN_CREDENTIAL = "secret-token"


@dataclass
class StandIn:
    token: str
    url: str = ""
    mode: str = "ok"  # ok | error | slow
    delay: float = 2.0
    received: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 1000


def _handler(state: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            state.received.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
            if self.path != "/api/v2/broadcasts.json":
                return self._answer(404, {"detail": "Not found."})
            if self.headers.get("Authorization") != f"Token {state.token}":
                return self._answer(403, {"detail": "Invalid token."})
            if state.mode == "error":
                return self._answer(500, {"detail": "Server error."})
            if state.mode == "slow":
                time.sleep(state.delay)
            if not isinstance(body.get("urns"), list) or not body.get("text"):
                return self._answer(400, {"text": ["This field is required."]})
            state.next_id += 1
            return self._answer(
                201,
                {
                    "id": state.next_id,
                    "urns": body["urns"],
                    "contacts": [],
                    "groups": [],
                    "text": {"spa": body["text"]},
                    "status": "queued",
                    "created_on": "2026-12-04T15:00:00.000000Z",
                },
            )

    return Handler


@contextmanager
def rapidpro_standin(token: str = STANDIN_CREDENTIAL) -> Iterator[StandIn]:
    state = StandIn(token=token)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
