"""The platform shell: home (工作台), notifications, health check, error pages, placeholders."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import health, services
from core.models import Notification, SecurityEvent, User
from core.selectors import notification_list
from dispatch.selectors import overdue_task_q, task_list
from petitions.permissions import can_register
from petitions.selectors import open_counts
from projects.models import TaskForce
from projects.selectors import county_totals, stale_q


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON status of the database and (when configured) Redis; 503 when one is down."""
    checks = {"database": health.check_database(), "redis": health.check_redis()}
    healthy = all(v in ("ok", "not configured") for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    tasks = task_list(actor=user)
    context: dict[str, Any] = {
        "today": today,
        "totals": county_totals(today=today),
        "petitions": open_counts(actor=user, today=today),
        "overdue_tasks": tasks.filter(overdue_task_q(today)).count(),
        "my_tasks": tasks.exclude(status="done")[:8],
        "can_register_petition": can_register(user),
        "my_task_forces": [
            (tf, stale)
            for tf in TaskForce.objects.filter(members=user).order_by("name")
            for stale in [tf.projects.filter(stale_q(today)).count()]
        ],
    }
    return render(request, "core/home.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/placeholder.html",
        {
            "title": "领导驾驶舱",
            "icon": "bi-speedometer2",
            "lead": "全县保交房工作一屏总览：项目风险、交房进度、资金缺口、信访与督办。",
            "items": [
                "核心指标：项目数、风险分级、已售/已交/未交套数、年度交房任务完成率",
                "交房进度趋势图、项目状态与问题类型分布、信访周趋势、各专班风险",
                "预警面板：停工项目、延期超180天、集体上访预警、逾期信访与督办",
                "包案矩阵：每位包案领导负责的项目和信访件及本周动态",
            ],
        },
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page; every refusal is written to the security log."""
    services.security_event_record(kind=SecurityEvent.Kind.ACCESS_DENIED, request=request)
    message = (
        str(exception) if exception and str(exception) else "您没有权限访问该页面或执行该操作。"
    )
    return render(request, "403.html", {"message": message}, status=403)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(notification_list(actor=user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and follows its link (only to this site)."""
    user: User = request.user  # type: ignore[assignment]
    try:
        notification = services.notification_open(actor=user, pk=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("notifications")
    return redirect(target)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    count = services.notifications_mark_all_read(actor=user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notifications")
