from django.contrib import admin

from .models import Importrun


@admin.register(Importrun)
class ImportrunAdmin(admin.ModelAdmin):
    """The runs of `manage.py importeren` and their reports, to read (docs/overstappen.md)."""

    list_display = ("bron", "begonnen_op", "geeindigd_op")
    readonly_fields = (
        "bron",
        "begonnen_op",
        "geeindigd_op",
        "tellingen",
        "geweigerd",
        "waarschuwingen",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
