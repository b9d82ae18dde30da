"""Applications for functional managers: scopes, purposes and credentials.

A token's key and a JWT client's secret are shown once, when they are made.
"""

from django import forms
from django.contrib import admin, messages

from klantinteracties.api.models import Token

from . import vertrouwelijk
from .models import GROUP_CHOICES, Applicatie, ClientCredential, Verwerkingsactiviteit
from .scopes import SCOPE_CHOICES

VERTROUWELIJK_INZIEN = "autorisatie.vertrouwelijk_inzien"


class VertrouwelijkAdminMixin:
    """For the admins of what hangs off a klantcontact: staff without the permission
    "Kan vertrouwelijke klantcontacten inzien" do not see confidential klantcontacten and
    what hangs off them (superusers have every permission)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        condition = vertrouwelijk.hidden_q(queryset.model)
        if condition is None or request.user.has_perm(VERTROUWELIJK_INZIEN):
            return queryset
        return queryset.exclude(condition)


class ApplicatieForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=SCOPE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    afgeschermd = forms.MultipleChoiceField(
        choices=GROUP_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Applicatie
        fields = (
            "naam",
            "actief",
            "alle_rechten",
            "scopes",
            "afgeschermd",
            "verwerkingsactiviteiten",
            "doelbinding_verplicht",
        )


class TokenInline(admin.TabularInline):
    model = Token
    fields = ("name", "prefix", "is_active", "created", "last_used")
    readonly_fields = ("name", "prefix", "created", "last_used")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # made with "Token toevoegen", which shows the key once


class ClientCredentialInline(admin.TabularInline):
    model = ClientCredential
    fields = ("client_id", "aangemaakt_op")
    readonly_fields = ("aangemaakt_op",)
    extra = 0


@admin.register(Applicatie)
class ApplicatieAdmin(admin.ModelAdmin):
    form = ApplicatieForm
    list_display = ("naam", "actief", "alle_rechten", "scopes_kort", "doelbinding_verplicht")
    list_filter = ("actief", "alle_rechten", "doelbinding_verplicht")
    search_fields = ("naam",)
    filter_horizontal = ("verwerkingsactiviteiten",)
    inlines = (TokenInline, ClientCredentialInline)
    actions = ("token_toevoegen",)

    @admin.display(description="scopes")
    def scopes_kort(self, obj):
        return "alle" if obj.alle_rechten else ", ".join(obj.scopes) or "geen"

    def save_formset(self, request, form, formset, change):
        # A new JWT client gets a secret, shown once.
        for instance in formset.save(commit=False):
            if isinstance(instance, ClientCredential) and not instance.pk:
                instance.secret = ClientCredential.new_secret()
                instance.save()
                messages.warning(
                    request,
                    f"Het secret van JWT-client {instance.client_id} is {instance.secret}. "
                    "Het wordt niet nogmaals getoond.",
                )
            else:
                instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()

    @admin.action(description="Token toevoegen aan de geselecteerde applicaties")
    def token_toevoegen(self, request, queryset):
        for applicatie in queryset:
            _, key = Token.objects.create_token(applicatie.naam, applicatie=applicatie)
            messages.warning(
                request,
                f"Token van {applicatie.naam}: {key}. Het wordt niet nogmaals getoond.",
            )


@admin.register(Verwerkingsactiviteit)
class VerwerkingsactiviteitAdmin(admin.ModelAdmin):
    list_display = ("naam", "uri", "grondslag")
    search_fields = ("naam", "uri")
