"""`--verify`: every object read from both sides, compared but for the host and prefix of urls.

The source is read page by page; our side answers the same objects through our own API
in-process (`uuid__in`, a page at a time), as a client would see them. These reads are
reads of personal data like any other: they are in our processing log, under the
application `overstap-controle`.
"""

import re
from dataclasses import dataclass, field

from django.test import Client

from klantinteracties.api.models import Token

from .bron import Bron
from .definities import RESOURCES, Resource

API_PAD = re.compile(
    r"^[a-z][a-z0-9+.-]*://[^/]+(?:/[^?#]*?)?/(klantinteracties|contactgegevens)/api/v1/"
)
APPLICATIE = "overstap-controle"


def zonder_basis(waarde):
    """Urls without scheme, host and prefix: `klantinteracties:partijen/<uuid>`."""
    if isinstance(waarde, str):
        return API_PAD.sub(r"\1:", waarde)
    if isinstance(waarde, dict):
        return {k: zonder_basis(v) for k, v in waarde.items()}
    if isinstance(waarde, list):
        return [zonder_basis(v) for v in waarde]
    return waarde


def verschillen(bron, hier, pad: str = "") -> list[str]:
    if isinstance(bron, dict) and isinstance(hier, dict):
        uit = []
        for sleutel in sorted(bron.keys() | hier.keys()):
            sub = f"{pad}.{sleutel}" if pad else sleutel
            if sleutel not in hier:
                uit.append(f"{sub}: ontbreekt hier")
            elif sleutel not in bron:
                uit.append(f"{sub}: niet in de bron")
            else:
                uit += verschillen(bron[sleutel], hier[sleutel], sub)
        return uit
    if isinstance(bron, list) and isinstance(hier, list) and len(bron) == len(hier):
        uit = []
        for index, (b, h) in enumerate(zip(bron, hier, strict=True)):
            uit += verschillen(b, h, f"{pad}[{index}]")
        return uit
    if bron != hier:
        return [f"{pad}: bron {bron!r}, hier {hier!r}"]
    return []


@dataclass
class Uitkomst:
    vergeleken: dict[str, int] = field(default_factory=dict)
    aantallen: dict[str, tuple[int, int]] = field(default_factory=dict)  # bron, hier
    verschillen: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def gelijk(self) -> bool:
        return not self.verschillen and all(b == h for b, h in self.aantallen.values())

    def tekst(self) -> str:
        regels = ["Controle: elk object van beide kanten vergeleken"]
        for naam, aantal in self.vergeleken.items():
            bron, hier = self.aantallen[naam]
            extra = "" if bron == hier else f" (bron heeft er {bron}, hier {hier})"
            regels.append(f"  {naam}: {aantal} vergeleken{extra}")
        if self.verschillen:
            regels.append(f"\nVerschillen ({len(self.verschillen)}):")
            regels += [f"  {r} {u}: {v}" for r, u, v in self.verschillen]
        else:
            regels.append("Geen verschillen, op de host en het pad van de urls na.")
        return "\n".join(regels)


class Controle:
    def __init__(self, bron: Bron, resources: tuple[Resource, ...] = RESOURCES, uit=None):
        self.bron = bron
        self.resources = resources
        self.uit = uit

    def uitvoeren(self) -> Uitkomst:
        token, sleutel = Token.objects.create_token(APPLICATIE)
        client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {sleutel}")
        uitkomst = Uitkomst()
        try:
            for resource in self.resources:
                self._resource(client, resource, uitkomst)
        finally:
            token.delete()
        return uitkomst

    def _hier(self, client: Client, resource: Resource, params: dict) -> dict:
        antwoord = client.get(f"/{resource.api}/api/v1/{resource.naam}", params)
        if antwoord.status_code != 200:
            raise RuntimeError(f"{resource.naam}: ons register antwoordde {antwoord.status_code}")
        return antwoord.json()

    def _resource(self, client: Client, resource: Resource, uitkomst: Uitkomst) -> None:
        aantal, paginas = self.bron.paginas(resource)
        vergeleken = 0
        for pagina in paginas:
            bron = {str(item["uuid"]): zonder_basis(item) for item in pagina}
            for begin in range(0, len(pagina), 100):
                deel = list(bron)[begin : begin + 100]
                hier = {
                    str(item["uuid"]): zonder_basis(item)
                    for item in self._hier(
                        client, resource, {"uuid__in": ",".join(deel), "pageSize": len(deel)}
                    )["results"]
                }
                for sleutel in deel:
                    vergeleken += 1
                    if sleutel not in hier:
                        uitkomst.verschillen.append((resource.naam, sleutel, "ontbreekt hier"))
                        continue
                    for verschil in verschillen(bron[sleutel], hier[sleutel]):
                        uitkomst.verschillen.append((resource.naam, sleutel, verschil))
        uitkomst.vergeleken[resource.naam] = vergeleken
        uitkomst.aantallen[resource.naam] = (
            aantal,
            self._hier(client, resource, {"pageSize": 1})["count"],
        )
        if self.uit is not None:
            self.uit.write(f"  {resource.naam}: {vergeleken} vergeleken")
