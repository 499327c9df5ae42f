"""The platform shell: notifications, health check, session keep-alive, error pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import health, services
from core.actors import actor_of
from core.context_processors import session_seconds_left
from core.models import Notification, SecurityEvent
from core.selectors import notification_list


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON status of the database and (when configured) Redis; 503 when one is down."""
    checks = {"database": health.check_database(), "redis": health.check_redis()}
    healthy = all(v in ("ok", "not configured") for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@require_POST
@never_cache
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """继续工作: like any request it renews an idle session; it answers how long that lasts.
    No redirect to the login page: the page's script tells the person what happened."""
    if not request.user.is_authenticated:
        return JsonResponse({"expires_in": 0, "detail": "登录已失效，请重新登录。"}, status=401)
    return JsonResponse({"expires_in": session_seconds_left(request)})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page; every refusal is written to the security log."""
    services.security_event_record(kind=SecurityEvent.Kind.ACCESS_DENIED, request=request)
    message = (
        str(exception) if exception and str(exception) else "您没有权限访问该页面或执行该操作。"
    )
    return render(request, "403.html", {"message": message}, status=403)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    page = Paginator(notification_list(actor=user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and follows its link (only to this site)."""
    user = actor_of(request)
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
    user = actor_of(request)
    count = services.notifications_mark_all_read(actor=user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notifications")
