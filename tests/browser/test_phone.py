"""On site with a phone (390×844): log in, find one's project, file the week with photos."""

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from core.models import User
from core.roles import Role
from ledgers.models import Photo, ProgressReport
from tests.browser.conftest import log_in, no_horizontal_scroll
from tests.factories import ProgressReportFactory, ProjectFactory, TaskForceFactory
from tests.ledgers import photo_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY = datetime.datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def photo_dir(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def as_file(upload: Any, folder: Path) -> str:
    path = folder / upload.name
    path.write_bytes(upload.read())
    return str(path)


def test_a_member_files_the_week_with_photos_on_a_phone(
    live_server: Any,
    phone: Any,
    make_user: Callable[..., User],
    screenshot: Callable[..., Path],
    time_machine: Any,
    photo_dir: Path,
    tmp_path: Path,
) -> None:
    time_machine.move_to(FRIDAY, tick=True)
    member = make_user(Role.TASKFORCE, username="li", full_name="李专班")
    force = TaskForceFactory.create(name="城关镇专班", members=[member])
    project = ProjectFactory.create(code="CG-007", name="锦绣华府二期", task_force=force)
    ProjectFactory.create(code="CG-008", name="城南花园", task_force=force)
    ProgressReportFactory.create(
        project=project,
        period_start=datetime.date(2026, 11, 23),
        report_date=datetime.date(2026, 11, 27),
        progress_percent=Decimal("62.5"),
        workers_on_site=80,
        note="主体封顶",
    )
    camera_shot = as_file(photo_files.phone_jpeg("IMG_0001.jpg", size=(1200, 900)), tmp_path)
    album = [
        as_file(photo_files.phone_jpeg("IMG_0002.jpg", taken=None, gps=False), tmp_path),
        as_file(photo_files.png("截图.png"), tmp_path),
    ]

    log_in(phone, live_server.url, "li")
    desk = phone.locator(".week-desk")
    expect(desk).to_contain_text("本周填报 0/2")
    assert no_horizontal_scroll(phone)
    screenshot(phone, "phone-01-desk", readme="phone-desk")

    with phone.expect_navigation():
        desk.locator(".desk-project:has-text('锦绣华府二期') a:has-text('填报')").tap()
    expect(phone.locator("#previous-report")).to_contain_text("62.5%")
    expect(phone.locator("#previous-report")).to_contain_text("主体封顶")
    expect(phone.locator("#id_progress_percent")).to_have_value("62.5")
    phone.fill("#id_progress_percent", "64")
    expect(phone.locator(".progress-hint")).to_contain_text("增加 1.5 个百分点")
    phone.fill("#id_workers_on_site", "85")
    phone.fill("#id_note", "外立面施工，塔吊拆除")
    phone.set_input_files("input.photo-camera", camera_shot)
    phone.set_input_files("input.photo-files", album)
    expect(phone.locator(".photo-preview")).to_have_count(3)
    camera = phone.locator("label:has-text('拍照')").bounding_box()
    assert camera["height"] >= 44  # a thumb-sized target
    assert no_horizontal_scroll(phone)
    phone.locator(".photo-picker").scroll_into_view_if_needed()
    screenshot(phone, "phone-02-report-with-photos", readme="phone-report-photos")

    with phone.expect_navigation():
        phone.locator("button:has-text('保存')").tap()
    expect(phone.locator(".alert-success")).to_contain_text("进度填报已保存")
    strip = phone.locator("#site-photos .photo-thumb img")
    expect(strip).to_have_count(3)
    phone.locator("#site-photos").scroll_into_view_if_needed()
    for i in range(3):
        expect(strip.nth(i)).to_have_js_property("complete", True)
        assert strip.nth(i).evaluate("img => img.naturalWidth") > 0
    expect(phone.locator("#site-photos")).to_contain_text("2026-11-28 15:20")
    assert no_horizontal_scroll(phone)
    screenshot(phone, "phone-03-project-photos", readme="phone-project-photos")

    report = ProgressReport.objects.get(period_start="2026-11-30")
    assert report.progress_percent == Decimal("64")
    assert Photo.objects.filter(report=report).count() == 3
    with phone.expect_popup() as popup:
        strip.first.tap()
    image = popup.value
    image.wait_for_load_state()
    assert image.url.endswith("/image/")
    size = image.evaluate("document.images[0].naturalWidth")
    assert size in (900, 480, 300)
    assert phone.console_errors == []


def test_a_fake_photo_is_refused_on_the_phone_and_nothing_is_saved(
    live_server: Any,
    phone: Any,
    make_user: Callable[..., User],
    screenshot: Callable[..., Path],
    time_machine: Any,
    photo_dir: Path,
    tmp_path: Path,
) -> None:
    time_machine.move_to(FRIDAY, tick=True)
    member = make_user(Role.TASKFORCE, username="li")
    project = ProjectFactory.create(
        task_force=TaskForceFactory.create(name="城关镇专班", members=[member])
    )
    fake = tmp_path / "现场.jpg"
    fake.write_bytes(io.BytesIO(b"<html>not a photo</html>").getvalue())

    log_in(phone, live_server.url, "li")
    phone.goto(f"{live_server.url}/projects/{project.pk}/report/new/")
    phone.fill("#id_progress_percent", "10")
    phone.set_input_files("input.photo-files", str(fake))
    expect(phone.locator(".photo-preview")).to_contain_text("无法显示")
    with phone.expect_navigation():
        phone.locator("button:has-text('保存')").tap()
    expect(phone.locator(".errorlist")).to_contain_text("不是图片文件")
    expect(phone.locator(".alert-warning")).to_contain_text("请改正后重新选择照片")
    screenshot(phone, "phone-04-photo-refused")
    assert not ProgressReport.objects.exists()
    assert not Photo.objects.exists()
