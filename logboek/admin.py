"""The log in the admin: read only (PostgreSQL refuses changes anyway), for a privacy
officer with the view permission."""

from django.contrib import admin

from klantinteracties.api.admin import ReadOnlyAdmin

from .models import AuditRecord, Handeling, Verwerking


class VerwerkingInline(admin.TabularInline):
    model = Verwerking
    fields = ("subject_soort", "subject_uuid", "identificator_soort")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Handeling)
class HandelingAdmin(ReadOnlyAdmin):
    list_display = ("start", "naam", "applicatie_weergave", "gebruikers_weergave", "status")
    list_filter = ("bewerking", "bron", "applicatie_weergave")
    search_fields = ("trace_id", "naam", "gebruikers_id", "=verwerkingsactiviteit")
    date_hierarchy = "start"
    inlines = [VerwerkingInline]
    # No count of millions of rows on every page.
    show_full_result_count = False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ("aanmaakdatum", "actie", "resource", "resource_weergave", "applicatie_weergave")
    list_filter = ("actie", "resource", "bron")
    search_fields = ("=resource_uuid", "trace_id", "gebruikers_id")
    date_hierarchy = "aanmaakdatum"
    show_full_result_count = False
