"""Petition pages: registration, steps, masking per role, department scope, documents, export."""

import datetime
import io
import threading
from collections.abc import Callable

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from core.models import User
from petitions import services
from petitions.models import DocumentTemplate, Petition
from tests.factories import PetitionFactory, ProjectFactory, valid_id_number

PHONE = "13812345678"
ID_NUMBER = valid_id_number(42)


@pytest.fixture
def petition(department_user: User) -> Petition:
    return PetitionFactory.create(
        petitioner_phone=PHONE,
        petitioner_id_number=ID_NUMBER,
        department=department_user.department,
        status="assigned",
        accepted_date=datetime.date(2026, 11, 3),
        due_date=datetime.date(2027, 1, 2),
    )


@pytest.mark.parametrize(
    ("role_fixture", "whole"),
    [
        ("petition_clerk", True),
        ("admin_user", True),
        ("leader", False),
        ("taskforce_member", False),
        ("department_user", False),
    ],
)
def test_phone_and_id_number_are_masked_except_for_petition_office_and_admin(
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    petition: Petition,
    role_fixture: str,
    whole: bool,
) -> None:
    client = client_for(request.getfixturevalue(role_fixture))
    for url in ["/petitions/", f"/petitions/{petition.pk}/"]:
        html = client.get(url).content.decode()
        assert (PHONE in html) is whole, url
        assert ("138****5678" in html) is not whole, url
    detail = client.get(f"/petitions/{petition.pk}/").content.decode()
    assert (ID_NUMBER in detail) is whole
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/petitions/export.xlsx").getvalue()))
    values = [c for row in sheet.active.iter_rows(values_only=True) for c in row]
    assert (PHONE in values) is whole
    assert (ID_NUMBER in values) is whole


def test_pages_files_and_api_answers_with_whole_numbers_are_never_cached(
    client_for: Callable[[User], Client], petition_clerk: User, petition: Petition
) -> None:
    client = client_for(petition_clerk)
    kind = DocumentTemplate.objects.values_list("kind", flat=True).first()
    urls = [
        "/petitions/",
        f"/petitions/{petition.pk}/",
        "/petitions/export.xlsx",
        "/petitions/new/",
        f"/petitions/{petition.pk}/documents/{kind}/",
        "/api/petitions/",
        f"/api/petitions/{petition.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url


def test_department_sees_only_its_own_petitions(
    client_for: Callable[[User], Client], department_user: User, petition: Petition
) -> None:
    other = PetitionFactory.create()
    client = client_for(department_user)
    numbers = [p.number for p in client.get("/petitions/").context["page"]]
    assert numbers == [petition.number]
    assert client.get(f"/petitions/{other.pk}/").status_code == 404
    assert client.post(f"/petitions/{other.pk}/reply/", {"reply-note": "x"}).status_code == 404


def test_clerk_registers_by_phone_and_gets_a_number(
    client_for: Callable[[User], Client], petition_clerk: User
) -> None:
    project = ProjectFactory.create()
    response = client_for(petition_clerk).post(
        "/petitions/new/",
        {
            "received_date": "2026-11-22",
            "channel": "phone",
            "petitioner_name": "李四",
            "petitioner_phone": "139 0000 1111",
            "petitioner_id_number": valid_id_number(5).lower(),
            "headcount": "6",
            "project": project.pk,
            "category": "delayed_delivery",
            "summary": "业主代表反映停工",
        },
    )
    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/petitions/{petition.pk}/"
    assert petition.number == "XF-2026-00001"
    assert petition.petitioner_phone == "13900001111"
    assert petition.is_collective


def test_registration_errors_are_shown_in_chinese_next_to_the_field(
    client_for: Callable[[User], Client], petition_clerk: User
) -> None:
    response = client_for(petition_clerk).post(
        "/petitions/new/",
        {
            "received_date": "2026-11-22",
            "channel": "phone",
            "petitioner_name": "李四",
            "petitioner_phone": "110",
            "petitioner_id_number": "330522198001010000",
            "headcount": "0",
            "category": "wrong",
            "summary": "",
        },
    )
    errors = response.context["form"].errors
    assert "电话号码格式不正确" in errors["petitioner_phone"][0]
    assert "校验位不正确" in errors["petitioner_id_number"][0]
    assert "headcount" in errors
    assert "category" in errors
    assert "summary" in errors
    assert not Petition.objects.exists()


def test_duplicate_hint_while_registering(
    client_for: Callable[[User], Client], petition_clerk: User, petition: Petition
) -> None:
    client = client_for(petition_clerk)
    html = client.post("/petitions/duplicates/", {"phone": PHONE}).content.decode()
    assert petition.number in html
    assert "关联为重复件" in html


def test_numbers_are_never_sent_in_the_url_of_the_duplicate_check(
    client_for: Callable[[User], Client], petition_clerk: User, petition: Petition
) -> None:
    client = client_for(petition_clerk)
    assert client.get(f"/petitions/duplicates/?phone={PHONE}").status_code == 405
    page = client.get("/petitions/new/").content.decode()
    assert 'data-duplicates-url="/petitions/duplicates/"' in page
    script = (settings.BASE_DIR / "static/js/petition_register.js").read_text()
    assert 'method: "POST", body: body' in script


def test_the_duplicate_check_says_when_it_found_nothing_and_what_it_checked(
    client_for: Callable[[User], Client], petition_clerk: User, petition: Petition
) -> None:
    client = client_for(petition_clerk)
    typing = client.post("/petitions/duplicates/", {"phone": "1391"}).content.decode()
    assert "输入完整的电话或身份证号" in typing
    none = client.post("/petitions/duplicates/", {"phone": "13900001111"}).content.decode()
    assert "未发现30日内可能重复的信访件" in none
    assert "已核对：电话 13900001111" in none
    assert petition.number not in none


def test_department_replies_and_closes_through_the_page(
    client_for: Callable[[User], Client], department_user: User, petition: Petition
) -> None:
    client = client_for(department_user)
    page = client.get(f"/petitions/{petition.pk}/").content.decode()
    assert "确认答复" in page
    assert "确认受理" not in page
    response = client.post(
        f"/petitions/{petition.pk}/reply/",
        {
            "reply-note": "已督促复工",
            "reply-on": "2026-11-20",
            "reply-backdate_reason": "纸质答复已送达，补录",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/petitions/{petition.pk}/close/",
        {"close-satisfaction": "satisfied", "close-on": "2026-11-21"},
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.satisfaction) == ("closed", "satisfied")


def test_a_late_not_accepted_decision_is_dated_on_the_page_and_counted_in_the_list(
    client_for: Callable[[User], Client], petition_clerk: User
) -> None:
    client = client_for(petition_clerk)
    received = PetitionFactory.create(
        status="registered",
        received_date=datetime.date(2026, 11, 1),
        decision_due_date=datetime.date(2026, 11, 16),
    )
    response = client.post(
        f"/petitions/{received.pk}/reject/",
        {"reject-note": "不属于信访事项", "reject-on": "2026-11-17"},
    )
    assert response.status_code == 302
    page = client.get(f"/petitions/{received.pk}/").content.decode()
    assert "2026-11-17 不予受理" in page
    assert "超过受理期限1天" in page
    listed = client.get("/petitions/?from=2026-11-01&to=2026-11-30")
    assert listed.context["rates"].acceptance_on_time_rate == 0
    assert "按期受理率" in listed.content.decode()


def test_an_illegal_step_posted_by_hand_is_refused_with_the_reason(
    client_for: Callable[[User], Client], petition_clerk: User, petition: Petition
) -> None:
    response = client_for(petition_clerk).post(
        f"/petitions/{petition.pk}/accept/", {"accept-on": "2026-11-20"}
    )
    assert response.status_code == 400
    assert "当前状态为“办理中”，不能受理" in response.content.decode()


def test_missing_fields_of_a_step_are_400_with_field_errors(
    client_for: Callable[[User], Client], petition_clerk: User, petition: Petition
) -> None:
    response = client_for(petition_clerk).post(f"/petitions/{petition.pk}/extend/", {})
    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()


def test_documents_print_with_the_petitions_data_from_editable_templates(
    client_for: Callable[[User], Client], petition_clerk: User, petition: Petition
) -> None:
    client = client_for(petition_clerk)
    html = client.get(f"/petitions/{petition.pk}/documents/acceptance/").content.decode()
    assert "信访事项受理告知书" in html
    assert petition.number in html
    assert "2026年11月3日" in html
    template = DocumentTemplate.objects.get(kind="acceptance")
    template.body = "{{信访人}}同志：您的事项{{编号}}已受理。{{未知}}"
    template.save()
    html = client.get(f"/petitions/{petition.pk}/documents/acceptance/").content.decode()
    assert f"{petition.petitioner_name}同志：您的事项{petition.number}已受理。{{{{未知}}}}" in html
    assert client.get(f"/petitions/{petition.pk}/documents/reply/").status_code == 404
    assert client.get(f"/petitions/{petition.pk}/documents/bogus/").status_code == 404


def test_list_filters_overdue_and_collective(
    client_for: Callable[[User], Client], leader: User, db: None
) -> None:
    late = PetitionFactory.create(status="assigned", due_date=datetime.date(2020, 1, 1))
    big = PetitionFactory.create(headcount=8, due_date=datetime.date(2099, 1, 1))
    client = client_for(leader)
    assert [p.pk for p in client.get("/petitions/?flag=overdue").context["page"]] == [late.pk]
    assert [p.pk for p in client.get("/petitions/?flag=collective").context["page"]] == [big.pk]


@pytest.mark.django_db(transaction=True)
def test_numbers_never_repeat_under_concurrent_registration(petition_clerk: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are real on PostgreSQL only; SQLite serialises all writers")
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def clerk(i: int) -> None:
        try:
            barrier.wait()
            p = services.petition_register(
                actor=petition_clerk,
                data={
                    "received_date": datetime.date(2026, 11, 22),
                    "channel": "phone",
                    "petitioner_name": f"来电{i}",
                    "category": "other",
                    "summary": "并发登记",
                },
            )
            numbers.append(p.number)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"XF-2026-{n:05d}" for n in range(1, 9)]
