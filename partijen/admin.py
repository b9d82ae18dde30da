"""Admin for functional managers: find a partij by nummer, name or BSN/KvK and fix its data."""

from django.contrib import admin

from klantinteracties.nummers import generated, next_nummer

from .models import (
    Categorie,
    CategorieRelatie,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    Vertegenwoordigden,
)


class PartijIdentificatorInline(admin.TabularInline):
    model = PartijIdentificator
    fk_name = "partij"
    extra = 0
    raw_id_fields = ("sub_identificator_van",)
    readonly_fields = ("uuid",)


class DigitaalAdresInline(admin.TabularInline):
    model = DigitaalAdres
    extra = 0
    raw_id_fields = ("betrokkene",)
    readonly_fields = ("uuid",)


class RekeningnummerInline(admin.TabularInline):
    model = Rekeningnummer
    extra = 0
    readonly_fields = ("uuid",)


class CategorieRelatieInline(admin.TabularInline):
    model = CategorieRelatie
    extra = 0
    readonly_fields = ("uuid",)


@admin.register(Partij)
class PartijAdmin(admin.ModelAdmin):
    list_display = ("nummer", "volledige_naam", "soort_partij", "indicatie_actief")
    list_filter = ("soort_partij", "indicatie_actief", "indicatie_geheimhouding")
    # Newest first, as the change list orders without it; autocomplete fields page by it too.
    ordering = ("-pk",)
    search_fields = (
        "nummer",
        "uuid",
        "contactnaam_achternaam",
        "organisatie_naam",
        "partijidentificatoren__object_id",
    )
    readonly_fields = ("uuid", "aangemaakt_op", "gewijzigd_op")
    raw_id_fields = ("voorkeurs_digitaal_adres", "voorkeurs_rekeningnummer", "werkte_voor_partij")
    inlines = (
        PartijIdentificatorInline,
        DigitaalAdresInline,
        RekeningnummerInline,
        CategorieRelatieInline,
    )
    show_full_result_count = False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Left empty, a nummer is generated as in the API.
        if "nummer" in form.base_fields:  # not for staff who may only view
            form.base_fields["nummer"].required = False
        return form

    def save_model(self, request, obj, form, change):
        if not obj.nummer:
            obj.nummer = next_nummer(Partij) if change else generated(Partij)
        super().save_model(request, obj, form, change)


@admin.register(PartijIdentificator)
class PartijIdentificatorAdmin(admin.ModelAdmin):
    list_display = ("object_id", "code_soort_object_id", "code_register", "partij")
    list_filter = ("code_soort_object_id", "code_register", "code_objecttype")
    search_fields = ("object_id", "uuid", "partij__nummer")
    raw_id_fields = ("partij", "sub_identificator_van")
    list_select_related = ("partij",)
    readonly_fields = ("uuid",)


@admin.register(DigitaalAdres)
class DigitaalAdresAdmin(admin.ModelAdmin):
    list_display = ("adres", "soort_digitaal_adres", "is_standaard_adres", "partij")
    list_filter = ("soort_digitaal_adres", "is_standaard_adres")
    search_fields = ("adres", "uuid", "partij__nummer", "referentie")
    raw_id_fields = ("partij", "betrokkene")
    list_select_related = ("partij",)
    readonly_fields = ("uuid",)


@admin.register(Rekeningnummer)
class RekeningnummerAdmin(admin.ModelAdmin):
    list_display = ("iban", "bic", "partij")
    search_fields = ("iban", "bic", "uuid", "partij__nummer")
    raw_id_fields = ("partij",)
    list_select_related = ("partij",)
    readonly_fields = ("uuid",)


@admin.register(Vertegenwoordigden)
class VertegenwoordigdenAdmin(admin.ModelAdmin):
    list_display = ("vertegenwoordigende_partij", "vertegenwoordigde_partij")
    search_fields = ("vertegenwoordigende_partij__nummer", "vertegenwoordigde_partij__nummer")
    raw_id_fields = ("vertegenwoordigende_partij", "vertegenwoordigde_partij")
    list_select_related = ("vertegenwoordigende_partij", "vertegenwoordigde_partij")
    readonly_fields = ("uuid",)


@admin.register(Categorie)
class CategorieAdmin(admin.ModelAdmin):
    list_display = ("naam",)
    search_fields = ("naam",)
    readonly_fields = ("uuid",)


@admin.register(CategorieRelatie)
class CategorieRelatieAdmin(admin.ModelAdmin):
    list_display = ("partij", "categorie", "begin_datum", "eind_datum")
    list_filter = ("categorie",)
    raw_id_fields = ("partij",)
    list_select_related = ("partij", "categorie")
    readonly_fields = ("uuid",)
