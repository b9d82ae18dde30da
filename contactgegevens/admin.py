from django.contrib import admin

from .models import Organisatie, Persoon

ADRES_FIELDSET = (
    "Adres",
    {
        "fields": (
            "adres_nummeraanduiding_id",
            ("adres_straatnaam", "adres_huisnummer", "adres_huisnummertoevoeging"),
            ("adres_postcode", "adres_stad"),
            "adres_adresregel1",
            "adres_adresregel2",
            "adres_adresregel3",
            "adres_land",
        )
    },
)


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin):
    list_display = ("handelsnaam", "oprichtingsdatum", "opheffingsdatum", "adres_stad", "uuid")
    search_fields = ("handelsnaam", "uuid", "adres_postcode", "adres_stad")
    readonly_fields = ("uuid",)
    fieldsets = (
        (None, {"fields": ("uuid", "handelsnaam", "oprichtingsdatum", "opheffingsdatum")}),
        ADRES_FIELDSET,
    )


@admin.register(Persoon)
class PersoonAdmin(admin.ModelAdmin):
    list_display = ("__str__", "geboortedatum", "overlijdensdatum", "geslacht", "uuid")
    list_filter = ("geslacht",)
    search_fields = ("geslachtsnaam", "voornamen", "uuid", "adres_postcode")
    readonly_fields = ("uuid",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "uuid",
                    ("voornamen", "voorvoegsel", "geslachtsnaam"),
                    "geslacht",
                    ("geboortedatum", "overlijdensdatum"),
                )
            },
        ),
        ADRES_FIELDSET,
    )
