"""One Dagster resource per source: where it is, how to be polite to it, which companies to pull.

Secrets and deployment settings are read from the environment when a pull starts (never stored in
config or written back to the environment); a URL or user agent set in config wins over its variable. A source
without what it needs is skipped with the reason, so a landing folder of hand-dropped files, and the
bundled sample, run offline. Companies come from the universe seed unless `tickers` names some.
"""

from __future__ import annotations

import os

import dagster as dg

from infrathesis.connectors import edgar, transcripts
from infrathesis.connectors.http import ConnectorError, HttpClient
from infrathesis.settings import Settings
from infrathesis.universe import Company, load_universe

from .pull import Pull, pull_cninfo, pull_sec, pull_transcripts

SEC_USER_AGENT_ENV = "INFRATHESIS_SEC_USER_AGENT"
CNINFO_URL_ENV = "INFRATHESIS_CNINFO_URL"
DEFAULT_USER_AGENT = "infrathesis/0.1 (research pipeline)"


class _Source(dg.ConfigurableResource):
    tickers: list[str] = []  # empty: the universe's companies this source covers
    user_agent: str = DEFAULT_USER_AGENT
    max_per_second: float = 5.0
    retries: int = 4
    backoff: float = 0.5  # seconds, doubled per attempt (or the server's Retry-After)

    def _http(self, base_url: str, **kwargs) -> HttpClient:
        return HttpClient(base_url, **{"user_agent": self.user_agent, "max_per_second": self.max_per_second,
                                       "retries": self.retries, "backoff": self.backoff, **kwargs})

    def companies(self, settings: Settings, covered) -> list[Company]:
        universe = load_universe(settings.universe_csv)
        if not self.tickers:
            return [c for c in universe if covered(c)]
        resolved = [universe.resolve(t) for t in self.tickers]
        unknown = [t for t, r in zip(self.tickers, resolved) if r is None]
        if unknown:
            raise ConnectorError(f"not in the universe ({settings.universe_csv.name}): {', '.join(unknown)}")
        return [universe[t] for t in dict.fromkeys(resolved)]

    def pull(self, settings: Settings) -> Pull:
        """Skips with the reason when unconfigured, or when the landing folder is the bundled sample
        (written only by `python -m infrathesis.sample`); otherwise pulls what is new."""
        name = self._name()
        reason = self._unconfigured()
        if reason:
            return Pull(name, skipped=reason)
        if settings.is_sample:
            return Pull(name, skipped="the landing folder is the bundled sample, which sources never write to; "
                                      "set INFRATHESIS_LANDING (or --landing) to a folder of your own")
        return self._pull(settings)

    def _name(self) -> str:
        raise NotImplementedError

    def _unconfigured(self) -> str | None:
        raise NotImplementedError

    def _pull(self, settings: Settings) -> Pull:
        raise NotImplementedError


class TranscriptSource(_Source):
    """An earnings-call transcript provider's HTTP API (JSON {symbol, year, quarter, date, content})."""

    base_url: str = ""  # empty: $INFRATHESIS_TRANSCRIPTS_URL; the key is always $INFRATHESIS_TRANSCRIPTS_API_KEY
    lookback_quarters: int = 4  # fiscal quarters before the as-of date asked for per company

    def _name(self) -> str:
        return "transcripts"

    def _client(self):
        return transcripts.client(self.base_url or None, user_agent=self.user_agent, max_per_second=self.max_per_second,
                                  retries=self.retries, backoff=self.backoff)

    def _unconfigured(self) -> str | None:
        try:
            self._client()
        except ConnectorError as exc:
            return f"unconfigured: {exc}"
        return None

    def _pull(self, settings: Settings) -> Pull:
        http, key = self._client()
        companies = self.companies(settings, lambda c: c.sources == "call")
        return pull_transcripts(http, key, companies, settings.landing, settings.as_of, self.lookback_quarters)


class SecXbrlSource(_Source):
    """SEC XBRL company facts (data.sec.gov): every capex concept and finance-lease principal, per company."""

    base_url: str = "https://data.sec.gov"
    tickers_url: str = "https://www.sec.gov"  # files/company_tickers.json: ticker -> CIK
    user_agent: str = ""  # empty: $INFRATHESIS_SEC_USER_AGENT; SEC requires 'Name contact@example.com'
    max_per_second: float = 10.0  # SEC's limit; the connector caps it there
    ciks: dict[str, int] = {}  # ticker -> CIK, for companies SEC's ticker list does not name

    def _name(self) -> str:
        return "sec_xbrl"

    def _agent(self) -> str:
        return self.user_agent or os.environ.get(SEC_USER_AGENT_ENV, "")

    def _unconfigured(self) -> str | None:
        if not self._agent():
            return f"unconfigured: set {SEC_USER_AGENT_ENV} to 'Name contact@example.com' (SEC requires a declared User-Agent)"
        try:
            edgar.edgar_client(self._agent(), self.base_url)
        except ConnectorError as exc:
            return f"unconfigured: {SEC_USER_AGENT_ENV}: {exc}"
        return None

    def _pull(self, settings: Settings) -> Pull:
        kwargs = {"max_per_second": self.max_per_second, "retries": self.retries, "backoff": self.backoff}
        http = edgar.edgar_client(self._agent(), self.base_url, **kwargs)
        tickers_http = edgar.edgar_client(self._agent(), self.tickers_url, **kwargs)
        # a US listing: a symbol without an exchange suffix (TSM, BABA); 8035.T is not the SEC's TEL
        companies = self.companies(settings, lambda c: "." not in c.symbol)
        return pull_sec(http, tickers_http, companies, settings.landing, dict(self.ciks))


class CninfoSource(_Source):
    """Cninfo (巨潮资讯): A-share annual and semi-annual report PDFs, per A-share company in the universe."""

    base_url: str = ""  # empty: $INFRATHESIS_CNINFO_URL (https://www.cninfo.com.cn); unset means not pulled
    static_url: str = "https://static.cninfo.com.cn"
    max_per_second: float = 2.0
    reports_per_company: int = 4  # the newest N reports of each company
    org_ids: dict[str, str] = {}  # ticker -> Cninfo orgId, when its search does not find the code

    def _name(self) -> str:
        return "cninfo"

    def _url(self) -> str:
        return self.base_url or os.environ.get(CNINFO_URL_ENV, "")

    def _unconfigured(self) -> str | None:
        if not self._url():
            return f"unconfigured: set {CNINFO_URL_ENV} (e.g. https://www.cninfo.com.cn) to pull A-share report PDFs"
        return None

    def _pull(self, settings: Settings) -> Pull:
        companies = self.companies(settings, lambda c: c.sources == "mdna")
        return pull_cninfo(self._http(self._url()), self._http(self.static_url), companies, settings.landing,
                           self.reports_per_company, dict(self.org_ids))
