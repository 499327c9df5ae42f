"""Admin pages for data whose writes must go through the services (validation, history,
derived figures, workflow events): administrators read them here and change them in the app.
Where the admin does change rows with a `version` (core.versioning), it stores the next version
as every service does."""

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionedAdminMixin:
    """For the ModelAdmin of a model with an optimistic-lock `version` (core.versioning.Versioned,
    projects.Project; not a report's 第N版): an admin save of an existing row stores the
    next version, so an edit begun in the app (or the API) before it is refused as stale instead
    of silently overwriting the administrator's change. The version is shown, never typed in."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return fields if "version" in fields else (*fields, "version")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Counted on from the version stored now, under the row's lock, whatever the page was
        # loaded with: a revert to a history row (SimpleHistoryAdmin) would otherwise bring back
        # an old version number. That view has no transaction of its own, hence atomic here.
        with transaction.atomic():
            if change and obj.pk is not None:
                manager: models.Manager[Any] = type(obj)._default_manager
                rows = manager.select_for_update().filter(pk=obj.pk)
                current = rows.values_list("version", flat=True).first()
                if current is not None:
                    obj.version = current + 1
            super().save_model(request, obj, form, change)  # type: ignore[misc]
