from django.contrib import admin, messages

from .models import Token


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the register keeps itself (a log, kept counts): to read, never to edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "applicatie",
        "prefix",
        "is_active",
        "created",
        "last_used",
        "contact_person",
    )
    list_filter = ("is_active", "applicatie")
    fields = (
        "applicatie",
        "name",
        "prefix",
        "is_active",
        "created",
        "last_used",
        "contact_person",
        "email",
    )
    autocomplete_fields = ("applicatie",)
    search_fields = ("name", "prefix", "contact_person", "email")
    readonly_fields = ("prefix", "created", "last_used")
    actions = ("deactivate",)

    def save_model(self, request, obj, form, change):
        if not change:
            created, key = Token.objects.create_token(
                obj.name,
                applicatie=obj.applicatie,
                is_active=obj.is_active,
                contact_person=obj.contact_person,
                email=obj.email,
            )
            obj.pk = created.pk
            obj.key_hash, obj.prefix, obj.created = (
                created.key_hash,
                created.prefix,
                created.created,
            )
            messages.warning(
                request, f"De sleutel van dit token is {key}. Hij wordt niet nogmaals getoond."
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Geselecteerde tokens intrekken")
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)
