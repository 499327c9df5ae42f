from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from core.models import Department, SecurityEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "department", "is_active", "last_login")
    list_filter = ("groups", "department", "is_active")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("单位信息", {"fields": ("full_name", "title", "phone", "department")}),
    )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "phone")
    search_fields = ("name",)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Readable by admins, editable by nobody: the log is evidence."""

    list_display = ("at", "kind", "username", "ip_address", "method", "path")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address", "path")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
