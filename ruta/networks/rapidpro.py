"""Sending SMS and WhatsApp messages through a RapidPro workspace's broadcast API.

``POST {base}/api/v2/broadcasts.json`` with ``Authorization: Token <token>`` and the JSON body
``{"urns": ["tel:+50499998888"], "text": "..."}`` (WhatsApp contacts as ``whatsapp:50499998888``);
RapidPro answers 201 with the broadcast it queued (``{"id": 1234, "status": "queued", ...}``), 400
with field errors, 429 when throttled. Anything but a 2xx, or no answer in ``TIMEOUT`` seconds,
is a failure the caller retries later."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from ruta.networks.models import ContactChannel, RapidProChannel

TIMEOUT = 10  # seconds


class SendFailed(Exception):
    """The message was not accepted; ``reason`` is short and carries no personal data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:200]


@dataclass(frozen=True)
class Accepted:
    provider_id: str


def urn(channel: str, phone: str) -> str:
    if channel == ContactChannel.WHATSAPP:
        return f"whatsapp:{phone.lstrip('+')}"
    return f"tel:{phone}"


def broadcast(config: RapidProChannel, *, to: str, text: str, timeout: float = TIMEOUT) -> Accepted:
    if not config.base_url.startswith(("https://", "http://")):
        raise SendFailed("RapidPro address is not a web address")
    body = json.dumps({"urns": [urn(config.channel, to)], "text": text}).encode()
    request = urllib.request.Request(  # noqa: S310 - an http(s) address, checked above
        config.base_url.rstrip("/") + "/api/v2/broadcasts.json",
        data=body,
        method="POST",
        headers={"Authorization": f"Token {config.token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - checked above
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise SendFailed(f"RapidPro answered {error.code}") from None
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        raise SendFailed(f"RapidPro unreachable: {type(error).__name__}") from None
    except ValueError:
        raise SendFailed("RapidPro answered something that is not JSON") from None
    return Accepted(str(answer.get("id", "")) if isinstance(answer, dict) else "")
