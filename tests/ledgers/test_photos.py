"""现场照片: uploaded with a report or an inspection, checked, stored privately beside the entry,
served only through a permission-checked view, never with the GPS position."""

import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import ExifTags, Image

from core.models import User
from ledgers.models import Inspection, Photo, ProgressReport
from ledgers.photos.services import photos_add
from ledgers.services import ledger_entry_delete
from projects.models import Project
from tests.factories import ProgressReportFactory
from tests.ledgers import photo_files

FRIDAY = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _friday(photo_root: Path, time_machine: Any) -> None:
    time_machine.move_to(FRIDAY, tick=False)


def report_form(**overrides: Any) -> dict[str, Any]:
    return {
        "period_start": "2026-11-30",
        "report_date": "2026-12-04",
        "construction_status": Project.Status.NORMAL,
        "progress_percent": "10",
        "workers_on_site": "12",
        "funds_received": "0",
        "note": "",
        "delivered_this_week": "",
        **overrides,
    }


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_photos_of_a_report_are_stored_beside_it_and_shown_to_readers(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    leader: User,
    own_project: Project,
    photo_root: Path,
) -> None:
    response = client_for(taskforce_member).post(
        f"/projects/{own_project.pk}/report/new/",
        {**report_form(), "photos": [photo_files.phone_jpeg(), photo_files.png()]},
    )

    assert response.status_code == 302
    report = ProgressReport.objects.get()
    photos = list(report.photos.order_by("pk"))
    assert len(photos) == 2
    folder = f"photos/{own_project.pk}/report-{report.pk}/"
    assert all(name.startswith(folder) for name in stored_files(photo_root))
    assert len(stored_files(photo_root)) == 6  # original, display copy, thumbnail each
    first = photos[0]
    assert first.taken_at == datetime.datetime(
        2026, 11, 28, 15, 20, tzinfo=ZoneInfo("Asia/Shanghai")
    )
    assert (first.width, first.height) == (480, 640)  # turned upright
    assert first.uploaded_by == taskforce_member

    reader = client_for(leader)
    image = reader.get(f"/projects/photos/{first.uid}/image/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "private" in image["Cache-Control"]
    thumb = reader.get(f"/projects/photos/{first.uid}/thumb/")
    assert Image.open(io.BytesIO(body(thumb))).size == (360, 480)
    page = reader.get(f"/projects/{own_project.pk}/").content.decode()
    assert f"/projects/photos/{first.uid}/thumb/" in page
    assert "2026-11-28 15:20" in page


def test_the_served_photo_keeps_its_date_but_never_the_gps_position(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    report = ProgressReportFactory.create(project=own_project)
    (photo,) = photos_add(actor=taskforce_member, entry=report, uploads=[photo_files.phone_jpeg()])
    assert (str(photo.latitude), str(photo.longitude)) == ("30.510000", "120.200000")

    served = client_for(taskforce_member).get(f"/projects/photos/{photo.uid}/image/")
    exif = Image.open(io.BytesIO(body(served))).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] == "2026:11:28 15:20:00"
    assert exif[ExifTags.Base.Make] == "HUAWEI"
    original = Image.open(photo.original.open("rb")).getexif()
    assert original.get_ifd(ExifTags.IFD.GPSInfo)  # kept for the record, never served
    client = client_for(taskforce_member)
    assert client.get(f"/projects/photos/{photo.uid}/original/").status_code == 404


def test_photos_are_only_served_to_signed_in_readers(
    client: Client, own_project: Project, taskforce_member: User
) -> None:
    report = ProgressReportFactory.create(project=own_project)
    (photo,) = photos_add(actor=taskforce_member, entry=report, uploads=[photo_files.png()])
    response = client.get(f"/projects/photos/{photo.uid}/image/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Client().get(f"/projects/photos/{photo.pk}/image/").status_code == 404


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (photo_files.text_named_jpeg, "不是图片文件"),
        (photo_files.gif, "只接受 JPG、PNG、WEBP"),
        (photo_files.truncated_jpeg, "已损坏或不完整"),
        (photo_files.decompression_bomb, "解压炸弹"),
        (photo_files.forged_png, "解压炸弹"),
    ],
)
def test_a_file_that_is_not_a_sound_photo_refuses_the_whole_save(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    photo_root: Path,
    upload: Callable[[], Any],
    words: str,
) -> None:
    response = client_for(taskforce_member).post(
        f"/projects/{own_project.pk}/report/new/",
        {**report_form(), "photos": [photo_files.phone_jpeg(), upload()]},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["photos"]
    assert words in " ".join(errors)
    assert not ProgressReport.objects.exists()
    assert not Photo.objects.exists()
    assert stored_files(photo_root) == []
    assert "刚才选择的照片也未上传" in response.content.decode()


def test_a_photo_over_the_size_limit_is_refused_with_the_limit(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    settings: Any,
) -> None:
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    big = photo_files.noisy_jpeg((1200, 1200))
    assert big.size > settings.PHOTO_MAX_BYTES
    response = client_for(taskforce_member).post(
        f"/projects/{own_project.pk}/report/new/", {**report_form(), "photos": [big]}
    )
    assert "超过每张1MB的上限" in response.context["form"].errors["photos"][0]
    assert not ProgressReport.objects.exists()


def test_too_many_photos_at_once_are_refused(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    uploads = [photo_files.png(f"{i}.png", (10, 10)) for i in range(11)]
    response = client_for(taskforce_member).post(
        f"/projects/{own_project.pk}/report/new/", {**report_form(), "photos": uploads}
    )
    assert "一次最多上传10张照片" in response.context["form"].errors["photos"][0]


def test_photos_of_an_inspection_and_of_another_task_force(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    other_project: Project,
) -> None:
    client = client_for(taskforce_member)
    response = client.post(
        f"/projects/{own_project.pk}/inspection/new/",
        {
            "date": "2026-12-03",
            "kind": Inspection.Kind.SAFETY,
            "findings": "脚手架连墙件缺失",
            "severity": Inspection.Severity.MINOR,
            "injuries": "0",
            "direct_loss": "0",
            "photos": [photo_files.phone_jpeg(taken=None, gps=False)],
        },
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.inspection is not None
    assert photo.taken_at is None  # no EXIF date: shown as the upload day
    page = client.get(f"/projects/{own_project.pk}/?tab=inspections").content.decode()
    assert "2026-12-04上传" in page

    report = ProgressReportFactory.create(project=other_project)
    with pytest.raises(Exception, match="只有本项目所属专班的成员"):
        photos_add(actor=taskforce_member, entry=report, uploads=[photo_files.png()])


def test_a_photo_is_deleted_by_an_editor_and_its_files_go_with_it(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    leader: User,
    own_project: Project,
    photo_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ProgressReportFactory.create(project=own_project)
    (photo,) = photos_add(actor=taskforce_member, entry=report, uploads=[photo_files.png()])
    assert client_for(leader).post(f"/projects/photos/{photo.uid}/delete/").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(taskforce_member).post(f"/projects/photos/{photo.uid}/delete/")
    assert response["Location"] == f"/projects/{own_project.pk}/report/{report.pk}/edit/"
    assert not Photo.objects.exists()
    assert stored_files(photo_root) == []
    assert Photo.history.filter(history_type="-").get().history_user == taskforce_member


def test_deleting_a_report_removes_its_photo_files(
    taskforce_member: User,
    own_project: Project,
    photo_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ProgressReportFactory.create(project=own_project)
    photos_add(actor=taskforce_member, entry=report, uploads=[photo_files.png()])
    with django_capture_on_commit_callbacks(execute=True):
        ledger_entry_delete(actor=taskforce_member, entry=report, reason="重复填报")
    assert not Photo.objects.exists()
    assert stored_files(photo_root) == []


def test_added_photos_appear_in_the_change_history(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    report = ProgressReportFactory.create(project=own_project)
    (photo,) = photos_add(
        actor=taskforce_member, entry=report, uploads=[photo_files.phone_jpeg("塔吊.jpg")]
    )
    history = client_for(taskforce_member).get(f"/projects/{own_project.pk}/?tab=history")
    entries = [h for h in history.context["history"] if h.photo]
    assert [(e.subject, e.action, e.photo) for e in entries] == [
        ("现场照片（塔吊.jpg）", "新增", photo.uid)
    ]


def test_the_service_names_every_bad_file(taskforce_member: User, own_project: Project) -> None:
    report = ProgressReportFactory.create(project=own_project)
    uploads = [photo_files.gif(), photo_files.png(), photo_files.text_named_jpeg()]
    with pytest.raises(ValidationError) as exc:
        photos_add(actor=taskforce_member, entry=report, uploads=uploads)
    messages = exc.value.message_dict["photos"]
    assert len(messages) == 2
    assert "动图.gif" in messages[0]
    assert "现场.jpg" in messages[1]
    assert not Photo.objects.exists()
