"""django-import-export resource of the ledger row, with the Chinese headers of the 台账.

Used by the admin's export and as the baseline the survey importer is measured against
(bench/import_bench.py). Rows it imports are saved through the ledger's own validation.
"""

from typing import Any

from import_export import fields, resources, widgets

from core.xlsx import looks_like_formula
from projects.models import Company, Project, TaskForce, Township


class ProjectResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="项目编号")
    name = fields.Field(attribute="name", column_name="项目名称")
    township = fields.Field(
        attribute="township",
        column_name="所在乡镇(街道)",
        widget=widgets.ForeignKeyWidget(Township, field="name"),
    )
    developer = fields.Field(
        attribute="developer",
        column_name="开发企业",
        widget=widgets.ForeignKeyWidget(Company, field="name"),
    )
    total_floor_area = fields.Field(
        attribute="total_floor_area", column_name="总建筑面积", widget=widgets.DecimalWidget()
    )
    sold_area = fields.Field(
        attribute="sold_area", column_name="已售面积", widget=widgets.DecimalWidget()
    )
    total_units = fields.Field(
        attribute="total_units", column_name="总套数", widget=widgets.IntegerWidget()
    )
    units_sold = fields.Field(
        attribute="units_sold", column_name="已售套数", widget=widgets.IntegerWidget()
    )
    contract_delivery_date = fields.Field(
        attribute="contract_delivery_date",
        column_name="合同约定交房时间",
        widget=widgets.DateWidget(),
    )
    task_force = fields.Field(
        attribute="task_force",
        column_name="工作专班",
        widget=widgets.ForeignKeyWidget(TaskForce, field="name"),
    )

    class Meta:
        model = Project
        import_id_fields = ("code",)
        fields = (
            "code",
            "name",
            "township",
            "developer",
            "total_floor_area",
            "sold_area",
            "total_units",
            "units_sold",
            "contract_delivery_date",
            "task_force",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def export_field(self, field: fields.Field, instance: Any, **kwargs: Any) -> Any:
        """Text that a spreadsheet would run as a formula leaves with a leading apostrophe, the
        usual guard for CSV, which has no quote prefix like the official exports (core.xlsx)."""
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and looks_like_formula(value):
            return f"'{value}"
        return value

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        instance.full_clean(validate_unique=False)
