"""Counts per resource, the progress of a run, and its final report."""

import time
from dataclasses import asdict, dataclass, field

TELLERS = ("gelezen", "nieuw", "gewijzigd", "ongewijzigd", "geweigerd", "waarschuwingen")


@dataclass
class Telling:
    totaal: int = 0  # what the source said it has
    gelezen: int = 0
    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0
    geweigerd: int = 0
    waarschuwingen: int = 0
    # Copied earlier, no longer returned by the source (removed with --verwijderen).
    verdwenen: int = 0
    verwijderd: int = 0
    begin: float = field(default_factory=time.monotonic)
    duur: float = 0.0


@dataclass
class Melding:
    resource: str
    uuid: str
    reden: str


class Rapport:
    def __init__(self, uit=None, voortgang: bool = True, interval: float = 2.0):
        self.tellingen: dict[str, Telling] = {}
        self.geweigerd: list[Melding] = []
        self.waarschuwingen: list[Melding] = []
        self.uit = uit
        self.voortgang = voortgang and uit is not None
        self.interval = interval
        self._laatst = 0.0

    def telling(self, resource: str) -> Telling:
        return self.tellingen.setdefault(resource, Telling())

    def weiger(self, resource: str, uuid: str, reden: str) -> None:
        self.telling(resource).geweigerd += 1
        self.geweigerd.append(Melding(resource, str(uuid), reden))

    def waarschuw(self, resource: str, uuid: str, melding: str) -> None:
        self.telling(resource).waarschuwingen += 1
        self.waarschuwingen.append(Melding(resource, str(uuid), melding))

    def regel(self, resource: str) -> str:
        t = self.telling(resource)
        duur = t.duur or (time.monotonic() - t.begin)
        tempo = t.gelezen / duur if duur > 0 else 0.0
        return (
            f"{resource}: {t.gelezen}/{t.totaal} gelezen, {t.nieuw} nieuw, {t.gewijzigd} "
            f"gewijzigd, {t.ongewijzigd} ongewijzigd, {t.geweigerd} geweigerd "
            f"({tempo:.0f}/s)"
        )

    def toon(self, resource: str, klaar: bool = False) -> None:
        """A progress line, at most every `interval` seconds, and one when a resource is done."""
        if not self.voortgang:
            return
        nu = time.monotonic()
        if klaar or nu - self._laatst >= self.interval:
            self._laatst = nu
            self.uit.write(("✓ " if klaar else "  ") + self.regel(resource))
            if hasattr(self.uit, "flush"):
                self.uit.flush()

    def klaar(self, resource: str) -> None:
        t = self.telling(resource)
        t.duur = time.monotonic() - t.begin
        self.toon(resource, klaar=True)

    def als_dict(self) -> dict:
        return {
            "tellingen": {
                naam: {k: v for k, v in asdict(t).items() if k != "begin"}
                for naam, t in self.tellingen.items()
            },
            "geweigerd": [asdict(m) for m in self.geweigerd],
            "waarschuwingen": [asdict(m) for m in self.waarschuwingen],
        }

    def tekst(self) -> str:
        kop = ("resource", "gelezen", "nieuw", "gewijzigd", "ongewijzigd", "geweigerd", "waarsch.")
        rijen = [kop]
        for naam, t in self.tellingen.items():
            rijen.append((naam, *(str(getattr(t, k)) for k in TELLERS)))
        breedte = [max(len(r[i]) for r in rijen) for i in range(len(kop))]
        regels = ["Overstap: resultaat per resource"]
        for rij in rijen:
            regels.append(
                "  ".join(
                    cel.ljust(b) if i == 0 else cel.rjust(b)
                    for i, (cel, b) in enumerate(zip(rij, breedte, strict=True))
                )
            )
        verdwenen = [(n, t) for n, t in self.tellingen.items() if t.verdwenen]
        for naam, t in verdwenen:
            regels.append(
                f"{naam}: {t.verdwenen} eerder gekopieerd en niet meer in de bron"
                + (f", {t.verwijderd} verwijderd" if t.verwijderd else " (--verwijderen)")
            )
        if self.geweigerd:
            regels.append(f"\nGeweigerd ({len(self.geweigerd)}):")
            regels += [f"  {m.resource} {m.uuid}: {m.reden}" for m in self.geweigerd]
        if self.waarschuwingen:
            regels.append(
                f"\nWaarschuwingen ({len(self.waarschuwingen)}): opgeslagen zoals de bron ze "
                "heeft, al zou onze API ze zo weigeren:"
            )
            regels += [f"  {m.resource} {m.uuid}: {m.reden}" for m in self.waarschuwingen]
        return "\n".join(regels)
