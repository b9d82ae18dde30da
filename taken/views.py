"""Actoren, actorklantcontacten and interne taken."""

from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from autorisatie import vertrouwelijk
from klantinteracties.api.docs import described
from klantinteracties.api.filters import uuid_from_url
from klantinteracties.api.sqljson import keys_of
from klantinteracties.api.viewsets import RegisterViewSet

from .filters import ActorFilterSet, ActorKlantcontactFilterSet, InterneTaakFilterSet
from .models import Actor, ActorKlantcontact, ActorTakenTelling, InterneTaak, InterneTaakToewijzing
from .serializers import ActorKlantcontactSerializer, ActorSerializer, InterneTaakSerializer


@described("actor", "actoren")
class ActorViewSet(RegisterViewSet):
    # Newest first, as the reference lists them.
    queryset = Actor.objects.order_by("-pk")
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet
    ordering_fields = {"naam": "naam", "soortActor": "soort_actor"}


@described("actor klantcontact", "actor klantcontacten")
class ActorKlantcontactViewSet(RegisterViewSet):
    queryset = ActorKlantcontact.objects.order_by("-pk")
    serializer_class = ActorKlantcontactSerializer
    filterset_class = ActorKlantcontactFilterSet
    ordering_fields = {"klantcontact__plaatsgevondenOp": "klantcontact__plaatsgevonden_op"}


@described("interne taak", "interne taken")
class InterneTaakViewSet(RegisterViewSet):
    # Newest first (internetaak_recent_idx); a medewerker's work list uses the same order.
    queryset = InterneTaak.objects.order_by("-toegewezen_op", "-id")
    serializer_class = InterneTaakSerializer
    filterset_class = InterneTaakFilterSet
    # toegewezenOp either way reads internetaak_recent_idx, or for an actor's work list
    # toewijzing_werklijst_idx (see get_keys_queryset).
    ordering_fields = {
        "toegewezenOp": "toegewezen_op",
        "afgehandeldOp": "afgehandeld_op",
        "status": "status",
        "nummer": "nummer",
    }
    default_order_description = "nieuwste eerst (`-toegewezenOp`)"
    # An addition (docs/lijsten.md): the responses keep the reference's schema names.
    expand_beyond_reference = True
    expand_paths = (
        "aanleidinggevendKlantcontact",
        "aanleidinggevendKlantcontact.hadBetrokkenen",
        "toegewezenAanActoren",
    )

    # An actor's work list, optionally by status: read from toewijzing_werklijst_idx (actor,
    # toegewezen_op and taak, newest first), the same keys in the same order as the list's
    # join, without visiting the taken of other actors or, for the count, the taken at all.
    ACTOR_FILTERS = {"toegewezenAanActor__uuid", "toegewezenAanActor__url"}
    WERKLIJST_FILTERS = ACTOR_FILTERS | {"status"}

    # The orders the work list's index gives: newest first (the default) or oldest first.
    WERKLIJST_ORDERS = ((), ("-toegewezenOp",), ("toegewezenOp",))

    def _werklijst(self, filters) -> bool:
        if tuple(filters.get("ordering") or ()) not in self.WERKLIJST_ORDERS:
            return False
        used = {
            name
            for name, value in filters.items()
            if value not in (None, "", []) and name != "ordering"
        }
        # An empty value is no filter at all (as in the filterset): the list's own keys.
        return len(used & self.ACTOR_FILTERS) == 1 and used <= self.WERKLIJST_FILTERS

    @staticmethod
    def _actor(filters):
        # The actor by uuid or by url (a url that ends in no uuid matches no actor, as the
        # filter matches no taak).
        uuid = filters.get("toegewezenAanActor__uuid") or uuid_from_url(
            filters["toegewezenAanActor__url"]
        )
        return Actor.objects.filter(uuid=uuid)

    def get_keys_queryset(self, queryset, filters):
        if not self._werklijst(filters):
            return super().get_keys_queryset(queryset, filters)
        # The values were validated by the filterset: a uuid, and a status choice if given.
        # The actor's id as a scalar subquery, not a join: an equality on the index's first
        # column lets the page read its first entries in order instead of sorting them all.
        actor = self._actor(filters)
        toewijzingen = InterneTaakToewijzing.objects.filter(
            actor_id=Subquery(actor.values("id")[:1])
        )
        if vertrouwelijk.hidden():
            # Without the taken of confidential klantcontacten, as the list's own queryset
            # (autorisatie.vertrouwelijk), from the flag the toewijzing keeps of them.
            toewijzingen = toewijzingen.filter(vertrouwelijk=False)
        if filters.get("status"):
            toewijzingen = toewijzingen.filter(internetaak__status=filters["status"])
        if tuple(filters.get("ordering") or ()) == ("toegewezenOp",):
            # The same index read backwards.
            order = ("toegewezen_op", "internetaak_id")
        else:
            order = ("-toegewezen_op", "-internetaak_id")
        return keys_of(toewijzingen.order_by(*order), "internetaak_id")

    def get_total_queryset(self, filters):
        # The work list's length from the actor's counts per status (ActorTakenTelling, kept
        # by a trigger on the toewijzingen): one or two rows instead of the whole list.
        if not self._werklijst(filters):
            return None
        tellingen = ActorTakenTelling.objects.filter(actor_id=OuterRef("id"))
        if filters.get("status"):
            tellingen = tellingen.filter(status=filters["status"])
        # An application that may not see confidential klantcontacten counts without their
        # taken (autorisatie.vertrouwelijk).
        counted = F("aantal") - F("aantal_vertrouwelijk") if vertrouwelijk.hidden() else F("aantal")
        aantal = tellingen.order_by().values("actor_id").annotate(n=Sum(counted)).values("n")
        actor = self._actor(filters)
        return keys_of(actor.annotate(aantal=Coalesce(Subquery(aantal), 0)), "aantal")
