from django.contrib import admin

from autorisatie.admin import VertrouwelijkAdminMixin
from klantinteracties.nummers import generated

from .models import Actor, ActorKlantcontact, InterneTaak, InterneTaakToewijzing
from .services import NOT_GIVEN, afgehandeld_op_voor


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("naam", "soort_actor", "indicatie_actief", "functie", "emailadres")
    list_filter = ("soort_actor", "indicatie_actief")
    search_fields = ("naam", "uuid", "actoridentificator_object_id", "emailadres", "functie")
    readonly_fields = ("uuid",)


class ToewijzingInline(admin.TabularInline):
    """Reassigning a taak: change, add or remove its actoren (the first is the main one)."""

    model = InterneTaakToewijzing
    autocomplete_fields = ("actor",)
    extra = 0
    min_num = 1
    validate_min = True


@admin.register(InterneTaak)
class InterneTaakAdmin(VertrouwelijkAdminMixin, admin.ModelAdmin):
    list_display = ("nummer", "gevraagde_handeling", "status", "toegewezen_op", "afgehandeld_op")
    list_filter = ("status", "actoren__soort_actor")
    search_fields = (
        "nummer",
        "uuid",
        "referentienummer",
        "gevraagde_handeling",
        "klantcontact__nummer",
        "actoren__naam",
    )
    raw_id_fields = ("klantcontact",)
    readonly_fields = ("uuid", "toegewezen_op")
    inlines = (ToewijzingInline,)
    date_hierarchy = "toegewezen_op"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Left empty, a nummer is generated on save.
        if "nummer" in form.base_fields:  # not for staff who may only view
            form.base_fields["nummer"].required = False
        return form

    def save_model(self, request, obj, form, change):
        vorige = InterneTaak.objects.get(pk=obj.pk) if change else None
        if not obj.nummer:
            obj.nummer = vorige.nummer if vorige else generated(InterneTaak)
        # An empty field in the form keeps the moment a verwerkt taak has.
        obj.afgehandeld_op = afgehandeld_op_voor(
            status=obj.status,
            afgehandeld_op=obj.afgehandeld_op or NOT_GIVEN,
            vorige=vorige,
        )
        super().save_model(request, obj, form, change)


@admin.register(ActorKlantcontact)
class ActorKlantcontactAdmin(VertrouwelijkAdminMixin, admin.ModelAdmin):
    list_display = ("actor", "klantcontact")
    raw_id_fields = ("klantcontact",)
    autocomplete_fields = ("actor",)
    search_fields = ("actor__naam", "klantcontact__nummer")
