import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gebeurtenissen.afleveren import _autorisatie
from gebeurtenissen.bestemmingen import uit_instellingen
from gebeurtenissen.definities import PER_NAAM
from gebeurtenissen.kanalen import filters
from gebeurtenissen.models import Bestemming


class Command(BaseCommand):
    help = (
        "Registreert de kanalen van dit register bij de Notificaties API uit de instellingen "
        "(NOTIFICATIES_API_URL): een nieuw kanaal wordt aangemaakt, een bestaand bijgewerkt "
        "(filters en documentatielink)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kanalen", help="Alleen deze kanalen, met komma's gescheiden (standaard: alle)."
        )
        parser.add_argument(
            "--documentatie-url",
            help="De url van de pagina die de kanalen beschrijft (`/ref/kanalen/` van deze "
            "service); standaard KANALEN_DOCUMENTATIE_URL. Elk kanaal krijgt `#<naam>` erachter.",
        )

    def handle(self, *args, kanalen, documentatie_url, **options):
        namen = (
            sorted(PER_NAAM)
            if not kanalen
            else sorted({naam.strip() for naam in kanalen.split(",") if naam.strip()})
        )
        onbekend = [naam for naam in namen if naam not in PER_NAAM]
        if onbekend:
            raise CommandError(
                f"Onbekende kanalen: {', '.join(onbekend)}. Bekend: {', '.join(sorted(PER_NAAM))}."
            )
        if not getattr(settings, "NOTIFICATIES_API_URL", ""):
            raise CommandError("Geen Notificaties API ingesteld: zet NOTIFICATIES_API_URL.")
        uit_instellingen()
        bestemming = Bestemming.objects.get(uit_instellingen=True)
        documentatie = (
            documentatie_url or getattr(settings, "KANALEN_DOCUMENTATIE_URL", "")
        ).split("#")[0]
        if not documentatie:
            self.stderr.write(
                "Geen KANALEN_DOCUMENTATIE_URL: de kanalen krijgen geen documentatielink "
                "(zet haar op https://<deze service>/ref/kanalen/)."
            )

        session = requests.Session()
        mislukt = []
        for naam in namen:
            body = {
                "naam": naam,
                "documentatieLink": f"{documentatie}#{naam}" if documentatie else "",
                "filters": filters(PER_NAAM[naam]),
            }
            try:
                resultaat = registreren(session, bestemming, body)
            except (requests.RequestException, ValueError, KeyError) as exc:
                mislukt.append(naam)
                self.stderr.write(f"Kanaal {naam}: {exc}")
            else:
                self.stdout.write(f"Kanaal {naam}: {resultaat}.")
        session.close()
        if mislukt:
            raise CommandError(f"Niet geregistreerd: {', '.join(mislukt)}.")


def registreren(session: requests.Session, bestemming: Bestemming, body: dict) -> str:
    """Create the kanaal, or update the one of that name; what was done."""
    root = bestemming.url
    timeout = getattr(settings, "GEBEURTENISSEN_TIMEOUT", 10)
    response = session.get(
        f"{root}kanaal",
        params={"naam": body["naam"]},
        headers=_autorisatie(bestemming),
        timeout=timeout,
    )
    _check(response)
    found = response.json()
    if isinstance(found, dict):  # a paginated list
        found = found.get("results", [])
    bestaand = next((kanaal for kanaal in found if kanaal.get("naam") == body["naam"]), None)
    if bestaand is None:
        response = session.post(
            f"{root}kanaal", json=body, headers=_autorisatie(bestemming), timeout=timeout
        )
        _check(response)
        return "aangemaakt"
    response = session.put(
        bestaand["url"], json=body, headers=_autorisatie(bestemming), timeout=timeout
    )
    _check(response)
    return "bijgewerkt"


def _check(response: requests.Response) -> None:
    if not 200 <= response.status_code < 300:
        raise requests.HTTPError(
            f"HTTP {response.status_code} op {response.request.method} {response.url}: "
            f"{response.text[:500]}",
            response=response,
        )
