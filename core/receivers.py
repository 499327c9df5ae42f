"""Auth signals are the only hook Django and axes offer for logins: record them here; and a
changed password revokes the user's API tokens, however it was changed (page, admin, shell)."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from knox.models import AuthToken

from core.middleware import mark_session_start
from core.models import SecurityEvent, User
from core.services import security_event_record


@receiver(user_logged_in)
def _on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    mark_session_start(request)
    security_event_record(kind=SecurityEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        security_event_record(kind=SecurityEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


@receiver(user_locked_out)
def _on_locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.LOCKED_OUT, request=request, username=username or ""
    )


@receiver(pre_save, sender=User)
def _revoke_tokens_on_password_change(
    sender: Any, instance: User, update_fields: frozenset[str] | None = None, **kwargs: Any
) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    changed = User.objects.filter(pk=instance.pk).exclude(password=instance.password).exists()
    if changed:
        AuthToken.objects.filter(user=instance).delete()
