"""docs/events.md says what the code does: its kanalen table is gebeurtenissen/definities.py,
and its verification example accepts our signatures and nothing else."""

import re
import time
from pathlib import Path

from gebeurtenissen import definities
from gebeurtenissen.afleveren import handtekening

DOC = (Path(__file__).resolve().parents[2] / "docs" / "events.md").read_text()


def table() -> list[str]:
    """The kanalen table as docs/events.md must have it."""
    rows = [
        "| kanaal | resource | Open Klant | kenmerken | CloudEvent types |",
        "|---|---|---|---|---|",
    ]
    for kanaal in definities.KANALEN:
        kenmerken = ", ".join(
            f"`{name}`" if path == (name,) else f"`{name}` (`{'.'.join(path)}`)"
            for name, path in kanaal.kenmerken
        )
        rows.append(
            f"| `{kanaal.naam}` | `{kanaal.resource}` | {'yes' if kanaal.referentie else 'no'} "
            f"| {kenmerken or 'none'} | `{kanaal.type('<actie>')}` |"
        )
    return rows


def test_the_kanalen_table_is_definities():
    start = DOC.index(table()[0])
    documented = DOC[start:].split("\n\n", 1)[0].splitlines()
    expected = "\n".join(table())
    assert documented == table(), f"Put this table in docs/events.md:\n\n{expected}\n"


def test_the_actions_and_zaak_types_are_named():
    assert all(f"`{actie}`" in DOC for actie in definities.ACTIES)
    assert definities.ZAAK_GEKOPPELD in DOC and definities.ZAAK_ONTKOPPELD in DOC


def test_the_verification_example_checks_our_signature():
    [code] = re.findall(r"```python\n(.*?)```", DOC, re.S)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102  (our own documentation)
    verified = namespace["verified"]
    body = b'{"id": "abc", "type": "nl.overheid.klantinteracties.partijen.create"}'
    now = int(time.time())
    headers = {
        "webhook-id": "abc",
        "webhook-timestamp": str(now),
        "webhook-signature": handtekening("een-geheim-van-zestien", "abc", now, body),
    }

    assert verified("een-geheim-van-zestien", headers, body)
    assert not verified("een-ander-geheim-!!", headers, body)
    assert not verified("een-geheim-van-zestien", headers, body + b" ")
    old = {**headers, "webhook-timestamp": str(now - 3600)}
    old["webhook-signature"] = handtekening("een-geheim-van-zestien", "abc", now - 3600, body)
    assert not verified("een-geheim-van-zestien", old, body)
