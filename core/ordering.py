"""`?ordering=` for the API lists: unknown fields are a 400, and the schema lists the choices.

DRF's own OrderingFilter drops unknown fields silently, so a typo returns an unsorted list as if
it had worked. Its own module because DRF imports the filter backends while defining its views.
"""

from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request


class StrictOrderingFilter(OrderingFilter):
    def allowed(self, view: Any) -> list[str]:
        fields = list(getattr(view, "ordering_fields", None) or [])
        return fields + [f"-{name}" for name in fields]

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param, "")
        if not raw:
            return self.get_default_ordering(view)
        terms = raw.split(",")
        allowed = self.allowed(view)
        unknown = [term or "（空）" for term in terms if term not in allowed]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"不支持按“{'、'.join(unknown)}”排序，可用：{'、'.join(allowed)}。"
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        allowed = self.allowed(view)
        if not allowed:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "排序字段，前加 - 为倒序；多个用逗号分隔。",
                "schema": {"type": "array", "items": {"type": "string", "enum": allowed}},
                "style": "form",
                "explode": False,
            }
        ]
