"""Alerts: a line in <out>/alerts.log, and a POST to INFRATHESIS_ALERT_WEBHOOK when it is set."""

from __future__ import annotations

import json
import os
import urllib.request
from datetime import datetime, timezone

from .settings import Settings


def alert(settings: Settings, message: str) -> None:
    settings.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with open(settings.alerts_log, "a", encoding="utf-8") as fh:
        fh.write(f"{stamp} {message}\n")
    url = os.environ.get("INFRATHESIS_ALERT_WEBHOOK")
    if url:
        body = json.dumps({"text": message, "at": stamp}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except OSError as exc:
            with open(settings.alerts_log, "a", encoding="utf-8") as fh:
                fh.write(f"{stamp} webhook failed: {exc.__class__.__name__}\n")
