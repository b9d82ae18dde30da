"""Reading the source: only GETs on its public API, a bounded number at a time, honouring
`Retry-After`, with the largest page the source allows."""

import email.utils
import math
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import requests

from .definities import Resource

# Answers that ask the client to come back later; other server errors are retried with backoff.
LATER_OPNIEUW = {429, 503}
MAX_WACHTTIJD = 300.0


class BronFout(Exception):
    """The source could not be read (after retries): the run stops, a next run resumes."""


def wachttijd(waarde: str | None, standaard: float) -> float:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not waarde:
        return standaard
    waarde = waarde.strip()
    if waarde.isdigit():
        return min(float(waarde), MAX_WACHTTIJD)
    try:
        moment = email.utils.parsedate_to_datetime(waarde)
    except (TypeError, ValueError):
        return standaard
    return min(max(moment.timestamp() - time.time(), 0.0), MAX_WACHTTIJD)


class Bron:
    def __init__(
        self,
        urls: dict[str, str],
        token: str,
        *,
        gelijktijdig: int = 4,
        page_size: int = 500,
        timeout: float = 60,
        pogingen: int = 8,
        slaap=time.sleep,
    ):
        # {api: base url}, e.g. {"klantinteracties": "https://ok.example.nl/klantinteracties/api/v1"}
        self.urls = {api: url.rstrip("/") for api, url in urls.items() if url}
        self.token = token
        self.gelijktijdig = max(1, gelijktijdig)
        self.page_size = page_size
        self.timeout = timeout
        self.pogingen = pogingen
        self.slaap = slaap
        self._lokaal = threading.local()
        self._pool = ThreadPoolExecutor(self.gelijktijdig, thread_name_prefix="overstap-bron")

    def sluit(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _sessie(self) -> requests.Session:
        sessie = getattr(self._lokaal, "sessie", None)
        if sessie is None:
            sessie = requests.Session()
            sessie.headers.update(
                {"Authorization": f"Token {self.token}", "Accept": "application/json"}
            )
            self._lokaal.sessie = sessie
        return sessie

    def get(self, url: str, params: dict | None = None) -> dict:
        """One GET, retried on 429/503 (after Retry-After), other 5xx and connection errors."""
        pauze = 1.0
        for poging in range(1, self.pogingen + 1):
            try:
                antwoord = self._sessie().get(url, params=params, timeout=self.timeout)
            except requests.RequestException as exc:
                if poging == self.pogingen:
                    raise BronFout(f"GET {url}: {exc}") from exc
                self.slaap(pauze)
                pauze = min(pauze * 2, 60)
                continue
            if antwoord.status_code == 200:
                return antwoord.json()
            if antwoord.status_code in LATER_OPNIEUW or antwoord.status_code >= 500:
                if poging == self.pogingen:
                    break
                self.slaap(wachttijd(antwoord.headers.get("Retry-After"), pauze))
                pauze = min(pauze * 2, 60)
                continue
            if antwoord.status_code == 404 and params and params.get("page", 1) > 1:
                # The list shrank while it was read: the page is gone.
                return {"results": []}
            raise BronFout(f"GET {antwoord.url}: {antwoord.status_code} {antwoord.text[:300]}")
        raise BronFout(f"GET {url}: {antwoord.status_code} na {self.pogingen} pogingen")

    def lijst_url(self, resource: Resource) -> str:
        return f"{self.urls[resource.api]}/{resource.naam}"

    def paginas(self, resource: Resource) -> tuple[int, Iterator[list[dict]]]:
        """The number of objects the source has, and its objects page by page in the order
        to write them: oldest first for a source that lists newest first (the pages last to
        first, each reversed).

        Pages are fetched `gelijktijdig` at a time, a few ahead of the one being written.
        """
        url = self.lijst_url(resource)
        eerste = self.get(url, {"page": 1, "pageSize": self.page_size})
        resultaten = eerste.get("results", [])
        aantal = eerste.get("count", len(resultaten))
        # The page size the source granted (it may cap what was asked).
        grootte = len(resultaten) if eerste.get("next") else max(len(resultaten), 1)
        laatste = max(1, math.ceil(aantal / grootte)) if eerste.get("next") else 1
        nummers = list(range(2, laatste + 1))
        if resource.nieuwste_eerst:
            nummers.reverse()
        return aantal, self._volgens(resource, url, resultaten, nummers, grootte)

    def _volgens(self, resource, url, resultaten, nummers, grootte) -> Iterator[list[dict]]:

        def ophalen(nummer: int) -> list[dict]:
            return self.get(url, {"page": nummer, "pageSize": grootte}).get("results", [])

        def in_volgorde(pagina: list[dict]) -> list[dict]:
            return list(reversed(pagina)) if resource.nieuwste_eerst else pagina

        if not resource.nieuwste_eerst:
            yield resultaten
        wachtrij: deque = deque()
        volgende = iter(nummers)
        for nummer in volgende:
            wachtrij.append(self._pool.submit(ophalen, nummer))
            if len(wachtrij) >= self.gelijktijdig * 2:
                break
        while wachtrij:
            pagina = wachtrij.popleft().result()
            nummer = next(volgende, None)
            if nummer is not None:
                wachtrij.append(self._pool.submit(ophalen, nummer))
            yield in_volgorde(pagina)
        if resource.nieuwste_eerst:
            yield in_volgorde(resultaten)
