"""In-app notifications: sent once per key, unread mark in the header, opened by the recipient."""

from collections.abc import Callable

from django.test import Client

from core.models import Notification, User
from core.services import notifications_send


def test_a_keyed_notification_is_sent_once_per_recipient(leader: User, admin_user: User) -> None:
    first = notifications_send(
        recipients=[leader, admin_user, leader], kind="report", title="月通报", key="report:1"
    )
    again = notifications_send(
        recipients=[leader, admin_user], kind="report", title="月通报", key="report:1"
    )
    assert (first, again) == (2, 0)
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_unread_count_shows_in_the_header_and_opening_marks_read(
    client_for: Callable[[User], Client], leader: User
) -> None:
    notifications_send(recipients=[leader], kind="report", title="周调度简报", url="/dispatch/")
    client = client_for(leader)
    page = client.get("/notifications/")
    assert "1 条未读" in page.content.decode()
    notification = Notification.objects.get(recipient=leader)

    response = client.post(f"/notifications/{notification.pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/dispatch/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "条未读" not in client.get("/notifications/").content.decode()


def test_someone_elses_notification_cannot_be_opened(
    client_for: Callable[[User], Client], leader: User, admin_user: User
) -> None:
    notifications_send(recipients=[leader], kind="report", title="周调度简报")
    notification = Notification.objects.get()
    assert client_for(admin_user).post(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_offsite_link_is_not_followed(
    client_for: Callable[[User], Client], leader: User
) -> None:
    notifications_send(recipients=[leader], kind="task", title="x", url="https://evil.example/")
    notification = Notification.objects.get()
    response = client_for(leader).post(f"/notifications/{notification.pk}/")
    assert response["Location"] == "/notifications/"


def test_mark_all_read(client_for: Callable[[User], Client], leader: User) -> None:
    notifications_send(recipients=[leader], kind="task", title="a")
    notifications_send(recipients=[leader], kind="task", title="b")
    client_for(leader).post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
