"""GET /api/dashboard/: the dashboard's figures as data (the large screen, the city's collection).

The same selector as the page (`dashboard_cached`), the same township / 专班 filters and the
same reader's scope (a department counts only its own petitions and tasks), with the list each
figure opens — nothing is counted here.
"""

from dataclasses import asdict
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.actors import actor_of
from dispatch.dashboard.selectors import Dashboard, dashboard_cached, figure_links
from ledgers.models import Problem
from projects.models import Project, TaskForce
from projects.selectors import Risk, township_list

RATE_HELP = "比例，四舍五入到0.1%（0.813即81.3%）；无分母时为空"


class DashboardQuerySerializer(serializers.Serializer):
    township = serializers.SlugRelatedField(
        slug_field="name",
        queryset=township_list(),
        required=False,
        help_text="乡镇(街道)名称：只统计该乡镇的项目及其信访、督办",
    )
    task_force = serializers.PrimaryKeyRelatedField(
        queryset=TaskForce.objects.all(), required=False, help_text="工作专班编号"
    )


def _rate(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=7, decimal_places=3, allow_null=True, help_text=f"{help_text}：{RATE_HELP}"
    )


def _counts(keys: list[str], help_text: str) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.IntegerField(), help_text=f"{help_text}；键：{'、'.join(keys)}"
    )


def _amount(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, help_text=help_text)


class PetitionFiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text="本月登记")
    accepted = serializers.IntegerField(help_text="本月受理")
    closed = serializers.IntegerField(help_text="本月受理且已办结")
    closed_on_time = serializers.IntegerField(help_text="其中按期办结")
    rated = serializers.IntegerField(help_text="已办结且已评价")
    satisfied = serializers.IntegerField(help_text="满意或基本满意")
    decided = serializers.IntegerField(help_text="本月作出的受理、不予受理决定")
    decided_on_time = serializers.IntegerField(help_text="其中登记后15日内（受理期限内）作出")
    closure_rate = _rate("办结率 = 办结 / 受理")
    on_time_rate = _rate("按期办结率 = 按期办结 / 办结")
    satisfaction_rate = _rate("满意率 = (满意 + 基本满意) / 已评价")
    acceptance_on_time_rate = _rate("按期受理率 = 受理期限内作出的决定 / 作出的决定")
    overdue_this_month = serializers.IntegerField(help_text="本月登记且已逾期")


class CollectiveWarningSerializer(serializers.Serializer):
    project_id = serializers.IntegerField(source="project.pk")
    code = serializers.CharField(source="project.code", help_text="项目编号")
    name = serializers.CharField(source="project.name", help_text="项目名称")
    petitions = serializers.IntegerField(help_text="预警窗口内的信访件数")
    people = serializers.IntegerField(help_text="人次")
    latest = serializers.DateField(help_text="最近登记日期")


class DashboardSerializer(serializers.Serializer):
    township = serializers.CharField(allow_null=True, help_text="筛选的乡镇(街道)；全县为空")
    task_force = serializers.IntegerField(allow_null=True, help_text="筛选的专班编号；全部为空")
    today = serializers.DateField(help_text="统计日（县时区）")
    generated_at = serializers.DateTimeField(help_text="计算时间（最多缓存几分钟）")
    projects = serializers.IntegerField(help_text="纳入台账项目")
    risk = _counts(list(Risk.LABELS), "各风险等级项目数")
    statuses = _counts(Project.Status.values, "各施工状态项目数")
    units_sold = serializers.IntegerField(help_text="已售套数")
    units_delivered = serializers.IntegerField(help_text="已交房套数（含期初）")
    units_undelivered = serializers.IntegerField(help_text="已售未交房套数")
    units_delivered_this_year = serializers.IntegerField(help_text="今年交房套数（不含期初）")
    annual_target = serializers.IntegerField(
        allow_null=True, help_text="年度交房任务（全县或所选专班的；乡镇未单列时为空）"
    )
    target_rate = _rate("年度交房任务完成率 = 今年交房套数 / 年度交房任务")
    monthly_deliveries = serializers.ListField(
        child=serializers.IntegerField(), help_text="今年1—12月逐月交房套数"
    )
    stale = serializers.IntegerField(help_text="台账未按时更新项目")
    delay_over_180 = serializers.IntegerField(help_text="延期超过180天项目")
    funding_gap = _amount("资金缺口（万元）")
    wages_owed = _amount("拖欠农民工工资（万元）")
    funds_disbursed = _amount("已到位资金（万元）")
    problem_projects = _counts(Problem.Type.values, "存在各类未化解问题的项目数")
    petitions = PetitionFiguresSerializer(help_text="本月信访")
    petitions_overdue = serializers.IntegerField(help_text="逾期信访件（全部）")
    tasks_overdue = serializers.IntegerField(help_text="逾期督办事项")
    collective_warnings = CollectiveWarningSerializer(many=True, help_text="集体上访预警项目")
    links = serializers.DictField(
        child=serializers.CharField(), help_text="各数字在页面上打开的列表（同一筛选条件）"
    )


def dashboard_payload(d: Dashboard, scope: dict[str, Any]) -> dict[str, Any]:
    """The page's figures by name: what DashboardSerializer documents."""
    rates = d.petitions
    return {
        "township": scope["township"] or None,
        "task_force": scope["task_force"] or None,
        "today": d.today,
        "generated_at": d.generated_at,
        "projects": d.totals["projects"],
        "risk": d.risk,
        "statuses": d.statuses,
        "units_sold": d.totals["sold"],
        "units_delivered": d.totals["delivered"],
        "units_undelivered": d.totals["undelivered"],
        "units_delivered_this_year": d.delivered_this_year,
        "annual_target": d.target,
        "target_rate": d.target_rate,
        "monthly_deliveries": d.monthly_deliveries,
        "stale": d.totals["stale"],
        "delay_over_180": d.totals["delay_over_180"],
        "funding_gap": d.funding_gap,
        "wages_owed": d.wages_owed,
        "funds_disbursed": d.funds_disbursed,
        "problem_projects": {t: d.problem_projects.get(t, 0) for t in Problem.Type.values},
        "petitions": {
            **asdict(rates),
            "closure_rate": rates.closure_rate,
            "on_time_rate": rates.on_time_rate,
            "satisfaction_rate": rates.satisfaction_rate,
            "acceptance_on_time_rate": rates.acceptance_on_time_rate,
            "overdue_this_month": d.petitions_overdue_this_month,
        },
        "petitions_overdue": d.petitions_overdue,
        "tasks_overdue": d.tasks_overdue,
        "collective_warnings": d.collective,
        "links": figure_links(d, scope),
    }


class DashboardView(APIView):
    """领导驾驶舱的数字：与页面同一口径、同一筛选，按调用者的查看范围统计。"""

    @extend_schema(parameters=[DashboardQuerySerializer], responses={200: DashboardSerializer})
    def get(self, request: Request) -> Response:
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        township = query.validated_data.get("township")
        task_force = query.validated_data.get("task_force")
        data = dashboard_cached(actor=actor_of(request), township=township, task_force=task_force)
        scope = {
            "township": township.name if township else "",
            "task_force": task_force.pk if task_force else "",
        }
        return Response(DashboardSerializer(dashboard_payload(data, scope)).data)
