from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReadOnlyAdminMixin
from petitions.models import DocumentTemplate, Petition, PetitionEvent


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """Administrators edit the wording of the formal notices here."""

    list_display = ("kind", "title", "updated_at")
    readonly_fields = ("kind",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class PetitionEventInline(admin.TabularInline):
    model = PetitionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "actor", "at", "note")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only: steps are taken on the petition pages, which enforce the workflow."""

    list_display = ("number", "received_date", "petitioner_name", "category", "status")
    list_filter = ("status", "channel", "category")
    search_fields = ("number", "petitioner_name")
    inlines = [PetitionEventInline]
