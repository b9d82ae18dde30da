"""Announcing changes: in the transaction of the change, one statement.

Every change the audit trail records (logboek.vastleggen.audit_vastleggen: the API's writes,
maak-klantcontact's objects one by one, the admin's) is announced here: a ZGW notification on
its resource's kanaal (definities.py) and, for an onderwerpobject that links a klantcontact to
a zaak or stops doing so, the reference's CloudEvent. They are written, with a delivery per
destination that wants them, in the writing transaction: a rolled-back change announces
nothing, a committed one is delivered by the worker (afleveren.py), at least once. Without an
active destination nothing is written.
"""

import datetime
import json
import uuid

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from rest_framework import exceptions, status

from .definities import PER_RESOURCE, ZAAK_GEKOPPELD, ZAAK_ONTKOPPELD

_SQL = """
WITH v (uuid, soort, type, kanaal, sleutel, bericht) AS (
    SELECT * FROM unnest(%(uuids)b::uuid[], %(soorten)b::text[], %(typen)b::text[],
        %(kanalen)b::text[], %(sleutels)b::text[], %(berichten)b::text[])
), g AS (
    INSERT INTO gebeurtenissen_gebeurtenis (uuid, soort, type, kanaal, sleutel, bericht,
        aangemaakt_op)
    SELECT v.uuid, v.soort, v.type, v.kanaal, v.sleutel, v.bericht, %(nu)s FROM v
    WHERE EXISTS (SELECT 1 FROM gebeurtenissen_bestemming b WHERE {wants})
    RETURNING id, soort, type, sleutel
)
INSERT INTO gebeurtenissen_aflevering (gebeurtenis_id, bestemming_id, sleutel, status,
    pogingen, volgende_poging, laatste_fout)
SELECT g.id, b.id, g.sleutel, 'open', 0, %(nu)s, ''
FROM g JOIN gebeurtenissen_bestemming b ON {wants_g}
ORDER BY g.id, b.id
"""
# Whether destination b wants an announcement of soort and type: a Notificaties API every
# notification (and the zaak CloudEvents if it asks for them), a webhook its types.
_WANTS = (
    "b.actief AND CASE b.soort WHEN 'notificaties' THEN {a}.soort = 'notificatie'"
    " OR (b.cloudevents AND {a}.soort = 'cloudevent') ELSE {a}.type = ANY(b.typen) END"
)
SQL = _SQL.format(wants=_WANTS.format(a="v"), wants_g=_WANTS.format(a="g"))


class GebeurtenissenNietBeschikbaar(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = (
        "De wijziging kon niet worden aangekondigd; er is niets gewijzigd. Probeer het later "
        "opnieuw."
    )
    default_code = "gebeurtenissen_niet_beschikbaar"
    wait = 5


def tijdstip(moment) -> str:
    """As the reference's notifications carry it: UTC, ISO 8601, `Z`, microseconds if any."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def bron() -> str:
    return getattr(settings, "NOTIFICATIONS_SOURCE", "")


def notificatie(kanaal, wijziging, nu) -> dict:
    """The body of `POST /notificaties`, key for key as the reference sends it."""
    representation = (wijziging.oud if wijziging.actie == "destroy" else wijziging.nieuw) or {}
    body = {"kanaal": kanaal.naam}
    if bron():
        body["source"] = bron()
    body.update(
        {
            "hoofdObject": wijziging.hoofd_object,
            "resource": wijziging.resource,
            "resourceUrl": wijziging.resource_url,
            "actie": wijziging.actie,
            "aanmaakdatum": tijdstip(nu),
            "kenmerken": kanaal.kenmerken_van(representation),
        }
    )
    return body


def _zaak(representation: dict | None) -> str | None:
    """The zaak (its uuid) an onderwerpobject links its klantcontact to, as the reference
    reads it: an identificator of objecttype `zaak` by `uuid`, and a klantcontact."""
    if not representation or not representation.get("klantcontact"):
        return None
    identificator = representation.get("onderwerpobjectidentificator") or {}
    if identificator.get("codeObjecttype") == "zaak" and (
        identificator.get("codeSoortObjectId") == "uuid"
    ):
        return identificator.get("objectId")
    return None


def _label(representation: dict) -> str:
    """The klantcontact as the reference names it in the event: `onderwerp - (nummer)`."""
    from klantcontacten.models import Klantcontact

    klantcontact = (
        Klantcontact.objects.filter(uuid=representation["klantcontact"]["uuid"])
        .values("onderwerp", "nummer")
        .first()
    )
    if klantcontact is None:
        return ""
    if klantcontact["nummer"]:
        return f"{klantcontact['onderwerp']} - ({klantcontact['nummer']})"
    return klantcontact["onderwerp"]


def zaak_cloudevent(type_: str, representation: dict, nu) -> dict:
    """The reference's CloudEvent of a zaak (un)linked by an onderwerpobject."""
    object_id = _zaak(representation)
    return {
        "id": str(uuid.uuid4()),
        "source": bron(),
        "specversion": "1.0",
        "type": type_,
        "subject": object_id,
        "time": nu.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dataref": None,
        "datacontenttype": "application/json",
        "data": {
            "zaak": f"urn:uuid:{object_id}",
            "linkTo": representation.get("url", ""),
            "label": _label(representation),
            "linkObjectType": "Onderwerpobject",
        },
    }


def zaak_events(wijziging) -> list[tuple[str, dict]]:
    """`(type, representation)` of the zaak CloudEvents an onderwerpobject's change causes,
    as the reference sends them: only when its identificator changes."""
    if wijziging.resource != "onderwerpobject":
        return []
    oud, nieuw = wijziging.oud, wijziging.nieuw
    events = []
    if oud is not None and nieuw is not None:
        if (oud.get("onderwerpobjectidentificator") or {}) == (
            nieuw.get("onderwerpobjectidentificator") or {}
        ):
            return []
    if _zaak(oud):
        events.append((ZAAK_ONTKOPPELD, oud))
    if _zaak(nieuw):
        events.append((ZAAK_GEKOPPELD, nieuw))
    return events


def aankondigen(wijzigingen) -> None:
    """Write the announcements of these changes (logboek.vastleggen.Wijziging), with their
    deliveries, in the current transaction."""
    nu = timezone.now()
    rows = []
    for wijziging in wijzigingen:
        kanaal = PER_RESOURCE.get(wijziging.resource)
        if kanaal is not None:
            body = notificatie(kanaal, wijziging, nu)
            rows.append(
                (
                    uuid.uuid4(),
                    "notificatie",
                    kanaal.type(wijziging.actie),
                    kanaal.naam,
                    wijziging.resource_url,
                    body,
                )
            )
        for type_, representation in zaak_events(wijziging):
            event = zaak_cloudevent(type_, representation, nu)
            rows.append((event["id"], "cloudevent", type_, "", wijziging.resource_url, event))
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    params = {
        "uuids": [str(u) for u in columns[0]],
        "soorten": list(columns[1]),
        "typen": list(columns[2]),
        "kanalen": list(columns[3]),
        "sleutels": list(columns[4]),
        "berichten": [json.dumps(b, ensure_ascii=False) for b in columns[5]],
        "nu": nu,
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute(SQL, params)
    except DatabaseError as exc:
        raise GebeurtenissenNietBeschikbaar() from exc
