"""现场照片 over the API: the checks, private storage and permissions of the project pages."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image
from rest_framework.test import APIClient

from core.models import User
from ledgers.models import Photo
from ledgers.photos.services import photos_add
from projects.models import Project
from tests.factories import InspectionFactory, ProgressReportFactory
from tests.ledgers import photo_files

Api = Callable[[User], APIClient]


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_member_uploads_photos_and_any_reader_sees_them_without_the_gps_position(
    api_for: Api, taskforce_member: User, leader: User, own_project: Project, photo_root: Path
) -> None:
    report = ProgressReportFactory.create(project=own_project)

    response = api_for(taskforce_member).post(
        "/api/photos/",
        {"report": report.pk, "photos": [photo_files.phone_jpeg(), photo_files.png()]},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    shown = response.json()
    assert [p["original_name"] for p in shown] == ["IMG_20261128_152000.jpg", "截图.png"]
    first = shown[0]
    assert (first["report"], first["inspection"], first["project"]) == (
        report.pk,
        None,
        own_project.pk,
    )
    assert first["taken_at"] == "2026-11-28T15:20:00+08:00"
    assert not {"latitude", "longitude"} & set(first)
    folder = f"photos/{own_project.pk}/report-{report.pk}/"
    assert len(stored_files(photo_root)) == 6
    assert all(name.startswith(folder) for name in stored_files(photo_root))

    reader = api_for(leader)
    listed = reader.get("/api/photos/", {"report": report.pk}).json()
    assert {p["uid"] for p in listed["results"]} == {p["uid"] for p in shown}
    image = reader.get(first["image"])
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "private" in image["Cache-Control"]
    assert Image.open(io.BytesIO(body(image))).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    thumbnail = reader.get(first["thumbnail"])
    assert Image.open(io.BytesIO(body(thumbnail))).size == (360, 480)


def test_photos_of_an_inspection(
    api_for: Api, taskforce_member: User, own_project: Project, photo_root: Path
) -> None:
    inspection = InspectionFactory.create(project=own_project)
    response = api_for(taskforce_member).post(
        "/api/photos/",
        {"inspection": inspection.pk, "photos": [photo_files.png()]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert Photo.objects.get().inspection == inspection


def test_files_are_served_only_to_signed_in_readers_and_never_the_original(
    api_for: Api, taskforce_member: User, own_project: Project, photo_root: Path
) -> None:
    report = ProgressReportFactory.create(project=own_project)
    (photo,) = photos_add(actor=taskforce_member, entry=report, uploads=[photo_files.png()])

    anonymous = APIClient()
    for path in ["", "image/", "thumbnail/"]:
        assert anonymous.get(f"/api/photos/{photo.uid}/{path}").status_code == 401
    client = api_for(taskforce_member)
    assert client.get(f"/api/photos/{photo.uid}/original/").status_code == 404
    assert client.get(f"/api/photos/{photo.pk}/image/").status_code == 404  # no guessable id
    inactive = api_for(taskforce_member)
    taskforce_member.is_active = False
    taskforce_member.save()
    assert inactive.get(f"/api/photos/{photo.uid}/image/").status_code == 401


def test_another_task_force_may_neither_add_nor_delete_photos(
    api_for: Api,
    taskforce_member: User,
    other_project: Project,
    admin_user: User,
    photo_root: Path,
) -> None:
    report = ProgressReportFactory.create(project=other_project)
    client = api_for(taskforce_member)

    response = client.post(
        "/api/photos/", {"report": report.pk, "photos": [photo_files.png()]}, format="multipart"
    )
    assert response.status_code == 403
    assert "只有本项目所属专班的成员" in response.json()["detail"]
    assert not Photo.objects.exists()
    assert stored_files(photo_root) == []

    (photo,) = photos_add(actor=admin_user, entry=report, uploads=[photo_files.png()])
    assert client.delete(f"/api/photos/{photo.uid}/").status_code == 403
    assert client.get(f"/api/photos/{photo.uid}/image/").status_code == 200  # still a reader


def test_one_bad_file_refuses_the_whole_upload_naming_it(
    api_for: Api, taskforce_member: User, own_project: Project, photo_root: Path
) -> None:
    report = ProgressReportFactory.create(project=own_project)

    response = api_for(taskforce_member).post(
        "/api/photos/",
        {"report": report.pk, "photos": [photo_files.png(), photo_files.text_named_jpeg()]},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["photos"] == [
        "照片“现场.jpg”不是图片文件（只接受 JPG、PNG、WEBP 格式的照片）。"
    ]
    assert not Photo.objects.exists()
    assert stored_files(photo_root) == []


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"photos": "many"}, ("photos", "一次最多上传10张照片。")),
        ({"photos": []}, ("photos", "")),
        ({"report": None}, ("non_field_errors", "二者选一")),
        ({"inspection": "same project"}, ("non_field_errors", "二者选一")),
        ({"report": "abc"}, ("report", "")),
    ],
)
def test_an_upload_that_does_not_say_what_it_is_for_is_refused(
    api_for: Api,
    taskforce_member: User,
    own_project: Project,
    photo_root: Path,
    fields: dict[str, Any],
    error: tuple[str, str],
) -> None:
    report = ProgressReportFactory.create(project=own_project)
    data: dict[str, Any] = {"report": report.pk, "photos": [photo_files.png()]}
    if fields.get("photos") == "many":
        fields = {"photos": [photo_files.png(f"{i}.png") for i in range(11)]}
    if "inspection" in fields:
        fields = {"inspection": InspectionFactory.create(project=own_project).pk}
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}

    response = api_for(taskforce_member).post("/api/photos/", data, format="multipart")

    assert response.status_code == 400
    field, words = error
    assert words in " ".join(response.json()[field])
    assert not Photo.objects.exists()


def test_an_editor_deletes_a_photo_with_a_reason_and_its_files_go(
    api_for: Api,
    taskforce_member: User,
    own_project: Project,
    photo_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ProgressReportFactory.create(project=own_project)
    (photo,) = photos_add(actor=taskforce_member, entry=report, uploads=[photo_files.png()])

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(taskforce_member).delete(f"/api/photos/{photo.uid}/?reason=拍错项目")

    assert response.status_code == 204
    assert not Photo.objects.exists()
    assert stored_files(photo_root) == []
    deleted = Photo.history.filter(history_type="-").get()
    assert (deleted.history_user, deleted.history_change_reason) == (taskforce_member, "拍错项目")


def test_schema_documents_the_photo_files(api_for: Api, leader: User) -> None:
    schema = api_for(leader).get("/api/schema/", {"format": "json"}).json()
    image = schema["paths"]["/api/photos/{uid}/image/"]["get"]["responses"]["200"]["content"]
    assert set(image) == {"image/jpeg", "image/png", "image/webp"}
    upload = schema["paths"]["/api/photos/"]["post"]["requestBody"]["content"]
    assert set(upload) == {"multipart/form-data"}
