"""Destinations, announcements and their deliveries for functional managers.

A destination made from the settings is shown, not edited; a secret is never shown. A
parked delivery is sent again (or deleted) with an action on the deliveries' list.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.db import connection, models
from django.utils import timezone
from django.utils.html import format_html

from klantinteracties.api.admin import ReadOnlyAdmin

from . import afleveren
from .definities import typen
from .models import Aflevering, Bestemming, Gebeurtenis
from .serializers import SECRET_MIN_LENGTH


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # Django 6's default, without its warning
    return field.formfield(**kwargs)


class BestemmingForm(forms.ModelForm):
    typen = forms.MultipleChoiceField(
        choices=[(type_, type_) for type_ in typen()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Webhook: de CloudEvent-types die het ontvangt (minstens één).",
    )
    secret = forms.CharField(
        required=False,
        max_length=255,
        widget=forms.PasswordInput(render_value=False),
        help_text="Notificaties API: het secret van de JWT (met client id) of het token "
        f"(zonder client id). Webhook: de sleutel (minstens {SECRET_MIN_LENGTH} tekens) "
        "waarmee elke aflevering wordt ondertekend. Wordt niet getoond; leeg laten houdt het "
        "bestaande.",
    )

    class Meta:
        model = Bestemming
        fields = ("naam", "soort", "url", "actief", "client_id", "secret", "cloudevents", "typen")
        formfield_callback = _formfield

    def clean_secret(self):
        # Never shown, so an empty field on a change means: keep it.
        secret = self.cleaned_data["secret"]
        if not secret and self.instance.pk is not None:
            return self.instance.secret
        return secret

    def clean(self):
        cleaned = super().clean()
        soort, url = cleaned.get("soort"), cleaned.get("url") or ""
        if soort == Bestemming.Soort.WEBHOOK:
            if not cleaned.get("typen"):
                self.add_error("typen", "Een webhook ontvangt minstens één CloudEvent-type.")
            secret = cleaned.get("secret") or ""
            if len(secret) < SECRET_MIN_LENGTH:
                self.add_error(
                    "secret",
                    f"Een webhook heeft een secret van minstens {SECRET_MIN_LENGTH} tekens.",
                )
        elif soort == Bestemming.Soort.NOTIFICATIES:
            if url and not url.endswith("/"):
                self.add_error("url", "De API-root van een Notificaties API eindigt op een /.")
            # Only a webhook subscribes to types.
            cleaned["typen"] = []
        return cleaned


@admin.register(Bestemming)
class BestemmingAdmin(admin.ModelAdmin):
    form = BestemmingForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("naam", "soort", "url", "actief", "uit_instellingen", "aangemaakt_op")
    list_filter = ("soort", "actief", "uit_instellingen")
    search_fields = ("naam", "url", "=uuid")
    readonly_fields = ("herkomst", "uuid", "aangemaakt_op")

    def get_fields(self, request, obj=None):
        if obj is not None and obj.uit_instellingen:
            # View only: all as text, the secret as whether there is one.
            return (
                "herkomst",
                "naam",
                "soort",
                "url",
                "actief",
                "client_id",
                "secret_ingesteld",
                "cloudevents",
                "uuid",
                "aangemaakt_op",
            )
        fields = (*BestemmingForm.Meta.fields, "uuid", "aangemaakt_op")
        return fields if obj is None else ("herkomst", *fields)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.uit_instellingen:
            return self.get_fields(request, obj)
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.uit_instellingen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.uit_instellingen:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="herkomst")
    def herkomst(self, obj):
        if obj.uit_instellingen:
            return (
                "Uit de instellingen (NOTIFICATIES_API_URL, NOTIFICATIES_API_CLIENT_ID, "
                "NOTIFICATIES_API_SECRET, ENABLE_CLOUD_EVENTS, NOTIFICATIONS_DISABLED): wijzig "
                "haar daar. Elke migrate en elke start van de worker maakt haar weer gelijk "
                "aan de instellingen."
            )
        return "Beheerd in het beheer of via de API (/abonnementen, voor webhooks)."

    @admin.display(description="secret", boolean=True)
    def secret_ingesteld(self, obj):
        return bool(obj.secret)


class AfleveringInline(admin.TabularInline):
    model = Aflevering
    fields = (
        "bestemming",
        "status",
        "pogingen",
        "volgende_poging",
        "afgeleverd_op",
        "laatste_fout",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Gebeurtenis)
class GebeurtenisAdmin(ReadOnlyAdmin):
    list_display = ("type", "kanaal", "sleutel", "aangemaakt_op")
    list_filter = ("soort", "kanaal")
    search_fields = ("=uuid", "sleutel", "type")
    date_hierarchy = "aangemaakt_op"
    fields = ("uuid", "soort", "type", "kanaal", "sleutel", "aangemaakt_op", "bericht_opgemaakt")
    readonly_fields = fields
    inlines = (AfleveringInline,)
    show_full_result_count = False

    @admin.display(description="bericht")
    def bericht_opgemaakt(self, obj):
        try:
            tekst = json.dumps(json.loads(obj.bericht), indent=2, ensure_ascii=False)
        except ValueError:
            tekst = obj.bericht
        return format_html("<pre>{}</pre>", tekst)


def _wekken() -> None:
    # The workers wake on NOTIFY (sent when the admin's transaction commits), not only when a
    # retry is due.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, '')", [afleveren.KANAAL])


@admin.register(Aflevering)
class AfleveringAdmin(ReadOnlyAdmin):
    list_display = (
        "gebeurtenis",
        "bestemming",
        "status",
        "pogingen",
        "volgende_poging",
        "afgeleverd_op",
        "fout",
    )
    list_filter = ("status", "bestemming")
    list_select_related = ("gebeurtenis", "bestemming")
    search_fields = ("sleutel", "=gebeurtenis__uuid")
    ordering = ("-id",)
    fields = (
        "gebeurtenis",
        "bestemming",
        "sleutel",
        "status",
        "pogingen",
        "volgende_poging",
        "afgeleverd_op",
        "laatste_fout",
    )
    readonly_fields = fields
    actions = ("opnieuw_versturen", "parkeren", "verwijderen")
    show_full_result_count = False

    # What the worker keeps is not edited here: only the actions change it.
    def has_versturen_permission(self, request):
        return request.user.has_perm("gebeurtenissen.change_aflevering")

    def has_opruimen_permission(self, request):
        return request.user.has_perm("gebeurtenissen.delete_aflevering")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="laatste fout")
    def fout(self, obj):
        return obj.laatste_fout[:100]

    @admin.action(
        description="Opnieuw versturen (geparkeerde en afgeleverde)", permissions=["versturen"]
    )
    def opnieuw_versturen(self, request, queryset):
        overgeslagen = queryset.filter(status=Aflevering.Status.OPEN).count()
        count = queryset.exclude(status=Aflevering.Status.OPEN).update(
            status=Aflevering.Status.OPEN,
            volgende_poging=timezone.now(),
            pogingen=0,
            laatste_fout="",
            afgeleverd_op=None,
        )
        if count:
            _wekken()
        self.message_user(
            request,
            f"{count} afleveringen worden opnieuw verstuurd"
            + (f"; {overgeslagen} nog te versturen overgeslagen." if overgeslagen else "."),
        )

    @admin.action(
        description="Parkeren (niet meer proberen; nog te versturen)", permissions=["versturen"]
    )
    def parkeren(self, request, queryset):
        count = queryset.filter(status=Aflevering.Status.OPEN).update(
            status=Aflevering.Status.GEPARKEERD
        )
        self.message_user(request, f"{count} afleveringen geparkeerd.")

    @admin.action(description="Verwijderen (alleen geparkeerde)", permissions=["opruimen"])
    def verwijderen(self, request, queryset):
        count, _ = queryset.filter(status=Aflevering.Status.GEPARKEERD).delete()
        overgeslagen = queryset.exclude(status=Aflevering.Status.GEPARKEERD).count()
        level = messages.WARNING if overgeslagen else messages.SUCCESS
        self.message_user(
            request,
            f"{count} geparkeerde afleveringen verwijderd"
            + (f"; {overgeslagen} niet-geparkeerde overgeslagen." if overgeslagen else "."),
            level,
        )
