"""Management figures: how many klantcontacten per day, week or month, grouped by one of
their fields (docs/cijfers.md).

By kanaal, onderwerp or indicatieContactGelukt the figures are sums of the counts per local
day that a trigger keeps (KlantcontactTelling): a few rows per day, whatever the number of
contacts (by kanaal or indicatie the day's totals over the onderwerpen). By a metadata key,
which is free, they are counted from the contacts of the range (index
klantcontact_recent_idx), so that range is shorter.
"""

from django.db import connection
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from autorisatie import afscherming, vertrouwelijk
from klantinteracties.api.filters import unknown_parameters
from klantinteracties.api.viewsets import RequestContextMixin
from logboek.vastleggen import Wie, verwerking_vastleggen

from .models import TIJDZONE, Klantcontact, KlantcontactTelling
from .serializers import KlantcontactSerializer
from .tellingen import middernacht

PERIODEN = {"dag": "day", "week": "week", "maand": "month"}
# Groups by a field of the counts: the wire name -> its column.
KOLOMMEN = {
    "kanaal": "kanaal",
    "onderwerp": "onderwerp",
    "indicatieContactGelukt": "indicatie_contact_gelukt",
}
METADATA = "metadata."
SLEUTEL_MAX = 255
# The longest range per period (days): bounds the size of an answer.
MAX_DAGEN = {"dag": 366, "week": 3 * 366, "maand": 10 * 366}
# By a metadata key the contacts of the range are read (about 1.3 µs each): two months are
# some 55,000 at 900 contacts a day (a million in three years), 75 ms.
MAX_DAGEN_METADATA = 62
PARAMETERS = {"periode", "groep", "van", "tot", "kanaal", "format"}

KC = Klantcontact._meta.db_table
TELLING = KlantcontactTelling._meta.db_table


class CijfervraagSerializer(serializers.Serializer):
    """The query parameters (documented as such)."""

    periode = serializers.ChoiceField(
        choices=list(PERIODEN),
        help_text="Tel per `dag`, per `week` (ISO-week, van maandag tot en met zondag) of per "
        "`maand`, in lokale tijd (Europe/Amsterdam).",
    )
    groep = serializers.CharField(
        max_length=len(METADATA) + SLEUTEL_MAX,
        help_text="Groepeer per `kanaal`, `onderwerp`, `indicatieContactGelukt` of per waarde "
        "van een sleutel in de metadata: `metadata.<sleutel>` (bijvoorbeeld "
        "`metadata.afdeling`; klantcontacten zonder die sleutel vormen de groep `null`). "
        f"Per metadata-sleutel is de periode van `van` tot `tot` ten hoogste "
        f"{MAX_DAGEN_METADATA} dagen.",
    )
    van = serializers.DateField(
        help_text="Eerste dag (lokale tijd) van de klantcontacten die worden geteld, op "
        "`plaatsgevondenOp`.",
    )
    tot = serializers.DateField(
        help_text="Dag (lokale tijd) waarvóór de getelde klantcontacten plaatsvonden: de "
        "klantcontacten van `van` tot (niet tot en met) `tot`. Ten hoogste "
        f"{MAX_DAGEN['dag']} dagen na `van` per dag, {MAX_DAGEN['week']} per week, "
        f"{MAX_DAGEN['maand']} per maand.",
    )
    kanaal = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text="Tel alleen de klantcontacten via dit kanaal (leeg: alle kanalen).",
    )

    def validate_groep(self, value: str) -> str:
        if value in KOLOMMEN:
            return value
        if value.startswith(METADATA) and len(value) > len(METADATA):
            return value
        raise serializers.ValidationError(
            "Kies `kanaal`, `onderwerp`, `indicatieContactGelukt` of `metadata.<sleutel>`.",
            code="invalid",
        )

    def validate(self, data: dict) -> dict:
        dagen = (data["tot"] - data["van"]).days
        if dagen <= 0:
            raise serializers.ValidationError(
                {"tot": [ErrorDetail("`tot` ligt na `van`.", code="invalid")]}
            )
        metadata = data["groep"].startswith(METADATA)
        maximum = MAX_DAGEN_METADATA if metadata else MAX_DAGEN[data["periode"]]
        if dagen > maximum:
            per = f"per {data['groep']}" if metadata else f"per {data['periode']}"
            raise serializers.ValidationError(
                {
                    "tot": [
                        ErrorDetail(
                            f"Ten hoogste {maximum} dagen na `van` {per}.", code="max-range"
                        )
                    ]
                }
            )
        return data


@extend_schema_field(
    {
        "anyOf": [{"type": "string"}, {"type": "boolean"}],
        "nullable": True,
        "description": "De waarde van de groep: een kanaal, een onderwerp, `true`/`false` van "
        "`indicatieContactGelukt`, of de waarde van de metadata-sleutel; `null` als de "
        "klantcontacten er geen hebben.",
    }
)
class WaardeField(serializers.Field):
    def to_representation(self, value):
        return value


class KlantcontactcijferSerializer(serializers.Serializer):
    periode = serializers.DateField(
        help_text="De eerste dag van de periode: de dag, de maandag van de week of de eerste "
        "van de maand. Een periode die vóór `van` begint of na `tot` eindigt, telt alleen "
        "de dagen vanaf `van` en vóór `tot`."
    )
    waarde = WaardeField()
    aantal = serializers.IntegerField(
        min_value=1, help_text="Het aantal klantcontacten van die periode met die waarde."
    )


class KlantcontactcijfersSerializer(serializers.Serializer):
    periode = serializers.ChoiceField(choices=list(PERIODEN))
    groep = serializers.CharField()
    van = serializers.DateField()
    tot = serializers.DateField()
    kanaal = serializers.CharField(allow_null=True, help_text="Het gevraagde kanaal, of `null`.")
    resultaten = KlantcontactcijferSerializer(
        many=True,
        help_text="Per periode en waarde het aantal, op volgorde van periode en waarde; "
        "een periode en waarde zonder klantcontacten ontbreken.",
    )


def veld_van(groep: str) -> str:
    """The klantcontact's wire field a group shows the values of."""
    return "metadata" if groep.startswith(METADATA) else groep


def statement(vraag: dict, hidden: bool) -> tuple[str, dict]:
    """The one statement that counts, and its parameters."""
    eenheid = PERIODEN[vraag["periode"]]
    groep = vraag["groep"]
    params: dict = {}
    voorwaarden = []
    if groep.startswith(METADATA):
        # Counted from the contacts in the UTC range of the local days (klantcontact_recent_idx).
        lokaal = f"(plaatsgevonden_op AT TIME ZONE '{TIJDZONE}')"
        waarde = "metadata ->> %(sleutel)s"
        aantal = "count(*)"
        bron = KC
        voorwaarden.append("plaatsgevonden_op >= %(begin)s AND plaatsgevonden_op < %(einde)s")
        params.update(
            sleutel=groep[len(METADATA) :],
            begin=middernacht(vraag["van"]),
            einde=middernacht(vraag["tot"]),
        )
    else:
        lokaal = "dag::timestamp"
        waarde = KOLOMMEN[groep]
        aantal = "sum(aantal)"
        bron = TELLING
        # By onderwerp its counts; by kanaal or indicatie the totals over the onderwerpen
        # (index klantcontact_telling_totaal): a few per day, however many onderwerpen.
        per_onderwerp = "IS NOT NULL" if groep == "onderwerp" else "IS NULL"
        voorwaarden.append(f"onderwerp {per_onderwerp} AND dag >= %(van)s AND dag < %(tot)s")
        params.update(van=vraag["van"], tot=vraag["tot"])
    if hidden:
        voorwaarden.append("NOT vertrouwelijk")
    if vraag.get("kanaal"):
        voorwaarden.append("kanaal = %(kanaal)s")
        params["kanaal"] = vraag["kanaal"]
    sql = (
        f"SELECT date_trunc('{eenheid}', {lokaal})::date, {waarde}, {aantal}::bigint"
        f" FROM {bron} WHERE {' AND '.join(voorwaarden)}"
        f" GROUP BY 1, 2 HAVING {aantal} > 0 ORDER BY 1, 2"
    )
    return sql, params


def tel(vraag: dict, hidden: bool) -> list[dict]:
    sql, params = statement(vraag, hidden)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [{"periode": periode, "waarde": waarde, "aantal": n} for periode, waarde, n in rows]


class KlantcontactcijfersViewSet(RequestContextMixin, viewsets.GenericViewSet):
    """Managementinformatie: het aantal klantcontacten per dag, week of maand, per kanaal,
    onderwerp, `indicatieContactGelukt` of waarde van een metadata-sleutel, over een periode
    op `plaatsgevondenOp` (lokale tijd, Europe/Amsterdam). Zonder de scope
    `klantcontacten.vertrouwelijk` telt een applicatie de vertrouwelijke klantcontacten niet
    mee."""

    register = "klantcontacten"
    queryset = Klantcontact.objects.none()
    serializer_class = KlantcontactcijfersSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="klantcontactcijfersRetrieve",
        summary="Aantallen klantcontacten per periode en groep.",
        parameters=[CijfervraagSerializer],
        responses={200: KlantcontactcijfersSerializer},
    )
    def tellen(self, request, *args, **kwargs):
        unknown = sorted(set(request.query_params) - PARAMETERS)
        if unknown:
            raise unknown_parameters(unknown)
        vraag_serializer = CijfervraagSerializer(data=request.query_params)
        vraag_serializer.is_valid(raise_exception=True)
        vraag = vraag_serializer.validated_data
        # Values of a field the application may not see are not shown as groups either.
        veld = veld_van(vraag["groep"])
        groep = afscherming.group_of(KlantcontactSerializer, veld)
        if groep is not None and groep in afscherming.shielded():
            raise afscherming.Afgeschermd(
                f"Groeperen op {veld} kan niet: het is voor deze applicatie afgeschermd ({groep}).",
                code="shielded-field",
            )
        resultaten = tel(vraag, vertrouwelijk.hidden())
        # The figures concern no one contact: the log holds who asked, when and why (a
        # handeling without subjects; docs/cijfers.md).
        verwerking_vastleggen(
            wie=Wie.van(request.auth, "klantinteracties"),
            naam="klantcontactcijfers.tellen",
            bewerking="lezen",
            status_code=200,
            start=self._start,
        )
        return Response(
            {
                "periode": vraag["periode"],
                "groep": vraag["groep"],
                "van": vraag["van"].isoformat(),
                "tot": vraag["tot"].isoformat(),
                "kanaal": vraag.get("kanaal") or None,
                "resultaten": [
                    {**row, "periode": row["periode"].isoformat()} for row in resultaten
                ],
            }
        )
