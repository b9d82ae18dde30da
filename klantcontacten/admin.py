from django.contrib import admin

from autorisatie.admin import VERTROUWELIJK_INZIEN, VertrouwelijkAdminMixin
from klantinteracties.api.admin import ReadOnlyAdmin

from .models import Betrokkene, Bijlage, Klantcontact, KlantcontactTelling, Onderwerpobject


class BetrokkeneInline(admin.StackedInline):
    model = Betrokkene
    extra = 0
    raw_id_fields = ("partij",)
    readonly_fields = ("uuid",)


class OnderwerpobjectInline(admin.TabularInline):
    model = Onderwerpobject
    fk_name = "klantcontact"
    extra = 0
    raw_id_fields = ("was_klantcontact",)
    readonly_fields = ("uuid",)


class BijlageInline(admin.TabularInline):
    model = Bijlage
    extra = 0
    readonly_fields = ("uuid",)


@admin.register(Klantcontact)
class KlantcontactAdmin(VertrouwelijkAdminMixin, admin.ModelAdmin):
    list_display = ("nummer", "onderwerp", "kanaal", "plaatsgevonden_op", "vertrouwelijk")
    list_filter = ("kanaal", "vertrouwelijk", "indicatie_contact_gelukt")
    search_fields = ("nummer", "onderwerp", "referentienummer", "uuid")
    date_hierarchy = "plaatsgevonden_op"
    ordering = ("-plaatsgevonden_op", "-id")
    readonly_fields = ("uuid", "aangemaakt_op", "gewijzigd_op")
    inlines = (BetrokkeneInline, OnderwerpobjectInline, BijlageInline)
    # Counting millions of rows on every page load is slow.
    show_full_result_count = False


@admin.register(Betrokkene)
class BetrokkeneAdmin(VertrouwelijkAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "rol", "initiator", "klantcontact", "partij")
    list_filter = ("rol", "initiator")
    list_select_related = ("klantcontact", "partij")
    search_fields = (
        "uuid",
        "klantcontact__nummer",
        "contactnaam_achternaam",
        "organisatienaam",
    )
    raw_id_fields = ("klantcontact", "partij")
    readonly_fields = ("uuid",)
    show_full_result_count = False


@admin.register(Onderwerpobject)
class OnderwerpobjectAdmin(VertrouwelijkAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "onderwerpobjectidentificator_code_objecttype",
        "klantcontact",
        "was_klantcontact",
    )
    list_select_related = ("klantcontact", "was_klantcontact")
    search_fields = ("uuid", "onderwerpobjectidentificator_object_id", "klantcontact__nummer")
    raw_id_fields = ("klantcontact", "was_klantcontact")
    readonly_fields = ("uuid",)
    show_full_result_count = False


@admin.register(Bijlage)
class BijlageAdmin(VertrouwelijkAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "bijlageidentificator_code_objecttype", "klantcontact")
    list_select_related = ("klantcontact",)
    search_fields = ("uuid", "bijlageidentificator_object_id", "klantcontact__nummer")
    raw_id_fields = ("klantcontact",)
    readonly_fields = ("uuid",)
    show_full_result_count = False


@admin.register(KlantcontactTelling)
class KlantcontactTellingAdmin(ReadOnlyAdmin):
    """The counts behind the management figures, kept by a trigger: to look at only (they
    are recounted with `manage.py klantcontactcijfers --herbereken`; docs/cijfers.md)."""

    list_display = (
        "dag",
        "kanaal",
        "onderwerp",
        "indicatie_contact_gelukt",
        "vertrouwelijk",
        "aantal",
    )
    list_filter = ("vertrouwelijk", "indicatie_contact_gelukt")
    search_fields = ("kanaal", "onderwerp")
    date_hierarchy = "dag"
    ordering = ("-dag", "kanaal", "onderwerp")
    # The day's total over the onderwerpen.
    empty_value_display = "(alle onderwerpen)"
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # The onderwerpen of confidential klantcontacten, for whom may see those only.
        if request.user.has_perm(VERTROUWELIJK_INZIEN):
            return queryset
        return queryset.filter(vertrouwelijk=False)
