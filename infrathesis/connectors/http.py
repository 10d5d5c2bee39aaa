"""A small HTTP client for the connectors: retries with backoff on 429/5xx/timeouts, a rate limit,
a declared User-Agent, and secrets kept out of logs and error messages."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger("infrathesis.connectors")
RETRY_STATUS = {429, 500, 502, 503, 504}


class ConnectorError(RuntimeError):
    """The service kept failing or answered with an error that retrying cannot fix."""


@dataclass
class HttpClient:
    base_url: str
    user_agent: str = "infrathesis/0.1 (research pipeline)"
    max_per_second: float = 5.0
    retries: int = 4
    backoff: float = 0.5  # seconds; doubles per attempt, or the server's Retry-After when given
    timeout: float = 20.0
    headers: dict = field(default_factory=dict)
    secrets: tuple[str, ...] = ()  # values never to be logged
    sleep: Callable[[float], None] = time.sleep
    _last: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def _throttle(self) -> None:
        with self._lock:
            wait = self._last + 1.0 / self.max_per_second - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._last = time.monotonic()

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "***")
        return re.sub(r"(?i)(api[_-]?key|apikey|token)=[^&\s]+", r"\1=***", text)

    def request(self, path: str, *, params: dict | None = None, data: dict | None = None) -> bytes:
        url = urllib.parse.urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/"))
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"User-Agent": self.user_agent, "Accept": "*/*", **self.headers}
        last_error = ""
        for attempt in range(self.retries + 1):
            self._throttle()
            try:
                request = urllib.request.Request(url, data=body, headers=headers, method="POST" if body is not None else "GET")
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as exc:
                last_error = f"HTTP {exc.code}"
                if exc.code not in RETRY_STATUS:
                    raise ConnectorError(f"{self.redact(url)}: {last_error}") from None
                delay = _retry_after(exc.headers.get("Retry-After"))
                if delay is None:  # "Retry-After: 0" means now, not "use the backoff"
                    delay = self.backoff * 2 ** attempt
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                last_error = exc.__class__.__name__
                delay = self.backoff * 2 ** attempt
            if attempt < self.retries:
                log.warning("retrying %s after %s (attempt %d, wait %.2fs)", self.redact(url), last_error, attempt + 1, delay)
                self.sleep(delay)
        raise ConnectorError(f"{self.redact(url)}: gave up after {self.retries + 1} attempts ({last_error})")

    def get_json(self, path: str, **kwargs):
        return json.loads(self.request(path, **kwargs))


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
