"""The project pages: validation next to the field, edit conflicts, history, the as-of view."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from core.models import User
from core.validators import credit_code_check_char
from projects.models import Company, Project, SavedFilter
from projects.services import project_update
from tests.factories import CompanyFactory, DepartmentFactory, PetitionFactory, ProjectFactory


def form_data(project: Project, **overrides: Any) -> dict[str, Any]:
    data = {
        "code": project.code,
        "name": project.name,
        "township": project.township_id,
        "address": project.address,
        "developer": project.developer_id,
        "construction_unit": "",
        "general_contractor": "",
        "total_floor_area": project.total_floor_area,
        "sold_area": project.sold_area,
        "total_units": project.total_units,
        "units_sold": project.units_sold,
        "contract_delivery_date": "2025-06-30",
        "expected_delivery_date": "",
        "task_force": project.task_force_id,
        "responsible_leader": "",
        "contact_person": "",
        "contact_phone": "",
        "strategy": "",
        "notes": "",
        "version": project.version,
        "change_reason": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"units_sold": 401}, "units_sold", "已售套数不能大于总套数"),
        ({"sold_area": "50000.01"}, "sold_area", "已售面积不能大于总建筑面积"),
        ({"total_units": -1}, "total_units", "确保该值大于或等于0"),
        ({"total_floor_area": "-5"}, "total_floor_area", "确保该值大于或等于0"),
        ({"contract_delivery_date": "2025-13-45"}, "contract_delivery_date", "输入一个有效的日期"),
        ({"code": ""}, "code", "该字段是必填项"),
    ],
)
def test_invalid_edits_are_refused_with_the_message_next_to_the_field(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = client_for(taskforce_member).post(
        f"/projects/{own_project.pk}/edit/", form_data(own_project, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert "is-invalid" in response.content.decode()
    own_project.refresh_from_db()
    assert own_project.version == 1


def test_units_sold_below_units_delivered_is_refused(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    Project.objects.filter(pk=own_project.pk).update(units_delivered=200)
    own_project.refresh_from_db()
    response = client_for(taskforce_member).post(
        f"/projects/{own_project.pk}/edit/", form_data(own_project, units_sold=150)
    )
    assert "已交房套数不能大于已售套数" in response.content.decode()


def test_edit_with_reason_is_saved_and_shown_in_history(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    client = client_for(taskforce_member)
    response = client.post(
        f"/projects/{own_project.pk}/edit/",
        form_data(own_project, name="锦绣华府二期", change_reason="项目更名"),
    )
    assert response.status_code == 302
    own_project.refresh_from_db()
    assert own_project.name == "锦绣华府二期"
    assert own_project.version == 2
    record = own_project.history.first()
    assert record.history_user == taskforce_member
    assert record.history_change_reason == "项目更名"
    page = client.get(f"/projects/{own_project.pk}/?tab=history").content.decode()
    assert "变更说明：项目更名" in page
    assert "锦绣华府二期" in page
    assert str(taskforce_member) in page


def test_second_of_two_concurrent_edits_is_refused_with_who_and_when(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    taskforce_member: User,
    own_project: Project,
) -> None:
    colleague = make_user("taskforce", username="tf2", full_name="李同事")
    own_project.task_force.members.add(colleague)
    stale = form_data(own_project)
    first = client_for(colleague).post(
        f"/projects/{own_project.pk}/edit/", {**stale, "contact_person": "张三"}
    )
    assert first.status_code == 302
    second = client_for(taskforce_member).post(
        f"/projects/{own_project.pk}/edit/", {**stale, "contact_person": "王五"}
    )
    assert second.status_code == 200
    html = second.content.decode()
    assert html.count("这次保存未生效") == 1
    assert "该项目已被李同事于" in html
    assert "另一个标签页" not in html
    own_project.refresh_from_db()
    assert own_project.contact_person == "张三"


def test_a_conflict_with_ones_own_other_tab_says_so(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    client = client_for(taskforce_member)
    stale = form_data(own_project)
    assert (
        client.post(f"/projects/{own_project.pk}/edit/", {**stale, "notes": "甲"}).status_code
        == 302
    )

    again = client.post(f"/projects/{own_project.pk}/edit/", {**stale, "notes": "乙"})

    html = again.content.decode()
    assert html.count("这次保存未生效") == 1
    assert "您已在另一个标签页或窗口中于" in html
    assert "已被" not in html


def test_conflict_is_detected_by_the_service_too(
    taskforce_member: User, own_project: Project
) -> None:
    from core.versioning import EditConflict

    project_update(actor=taskforce_member, project=own_project, data={}, expected_version=1)
    with pytest.raises(EditConflict):
        project_update(actor=taskforce_member, project=own_project, data={}, expected_version=1)


def test_member_creates_a_project_only_in_own_task_force(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    other_project: Project,
) -> None:
    client = client_for(taskforce_member)
    data = form_data(own_project, code="NEW-001", name="新项目")
    assert client.post("/projects/new/", data).status_code == 302
    assert Project.objects.filter(code="NEW-001").exists()
    data = form_data(own_project, code="NEW-002", task_force=other_project.task_force_id)
    response = client.post("/projects/new/", data)
    assert response.status_code == 200
    assert "task_force" in response.context["form"].errors
    assert not Project.objects.filter(code="NEW-002").exists()


def test_duplicate_code_is_refused(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    ProjectFactory.create(code="DUP-1")
    response = client_for(taskforce_member).post(
        f"/projects/{own_project.pk}/edit/", form_data(own_project, code="DUP-1")
    )
    assert "项目编号" in " ".join(response.context["form"].errors["code"])


def test_company_credit_code_check_digit_is_verified(
    client_for: Callable[[User], Client], taskforce_member: User
) -> None:
    client = client_for(taskforce_member)
    first17 = "91330522MA2B3C4D5"
    good = first17 + credit_code_check_char(first17)
    bad_digit = "0" if good[-1] != "0" else "1"
    response = client.post(
        "/projects/companies/new/", {"name": "某某置业有限公司", "credit_code": first17 + bad_digit}
    )
    assert "校验位不正确" in " ".join(response.context["form"].errors["credit_code"])
    response = client.post(
        "/projects/companies/new/", {"name": "某某置业有限公司", "credit_code": good.lower()}
    )
    assert response.status_code == 302
    assert Company.objects.get(name="某某置业有限公司").credit_code == good


def test_same_credit_code_cannot_be_two_companies(
    client_for: Callable[[User], Client], taskforce_member: User
) -> None:
    existing = CompanyFactory.create()
    response = client_for(taskforce_member).post(
        "/projects/companies/new/", {"name": "另一家公司", "credit_code": existing.credit_code}
    )
    assert response.status_code == 200
    assert "该统一社会信用代码已登记为另一家企业" in response.content.decode()


def test_as_of_view_shows_the_ledger_as_it_stood(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def at(day: datetime.date) -> None:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    own_project.history.update(history_date=timezone.make_aware(datetime.datetime(2026, 9, 1, 9)))
    at(datetime.date(2026, 10, 15))
    project_update(
        actor=taskforce_member,
        project=own_project,
        data={"units_sold": 350},
        expected_version=1,
        reason="补录认购",
    )
    monkeypatch.undo()
    client = client_for(taskforce_member)
    before = client.get(f"/projects/{own_project.pk}/?as_of=2026-09-30")
    assert before.context["shown"].units_sold == 300
    assert "2026年9月30日" in before.content.decode()
    after = client.get(f"/projects/{own_project.pk}/?as_of=2026-10-31")
    assert after.context["shown"].units_sold == 350
    earlier = client.get(f"/projects/{own_project.pk}/?as_of=2026-08-01")
    assert earlier.context["shown"] is None
    assert "尚未录入台账" in earlier.content.decode()


def test_bad_as_of_date_is_explained_not_a_crash(
    client_for: Callable[[User], Client], leader: User, own_project: Project
) -> None:
    response = client_for(leader).get(f"/projects/{own_project.pk}/?as_of=yesterday")
    assert response.status_code == 200
    assert "日期格式不正确" in response.content.decode()


def test_unknown_project_is_404(client_for: Callable[[User], Client], leader: User) -> None:
    assert client_for(leader).get("/projects/999999/").status_code == 404


def test_saved_filters_are_private_or_shared_with_the_task_force(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    taskforce_member: User,
    own_project: Project,
    other_project: Project,
) -> None:
    colleague = make_user("taskforce", username="tf2")
    own_project.task_force.members.add(colleague)
    outsider = make_user("taskforce", username="tf3")
    other_project.task_force.members.add(outsider)
    client = client_for(taskforce_member)
    client.post("/projects/filters/", {"name": "我的停工", "query": "status=stopped"})
    client.post("/projects/filters/", {"name": "专班高风险", "query": "risk=high", "share": "on"})
    assert set(SavedFilter.objects.values_list("name", flat=True)) == {"我的停工", "专班高风险"}
    mine = client.get("/projects/").content.decode()
    assert "我的停工" in mine
    assert "专班高风险" in mine
    theirs = client_for(colleague).get("/projects/").content.decode()
    assert "专班高风险" in theirs
    assert "我的停工" not in theirs
    assert "专班高风险" not in client_for(outsider).get("/projects/").content.decode()
    shared = SavedFilter.objects.get(name="专班高风险")
    assert client_for(colleague).post(f"/projects/filters/{shared.pk}/delete/").status_code == 403


def test_collective_petition_counts_on_a_project_page_cover_the_readers_scope(
    client_for: Callable[[User], Client],
    leader: User,
    department_user: User,
    own_project: Project,
) -> None:
    other_bureau = DepartmentFactory.create(name="县财政局")
    for department, count in [(department_user.department, 3), (other_bureau, 2)]:
        PetitionFactory.create_batch(
            count,
            project=own_project,
            department=department,
            received_date=datetime.date(2026, 11, 28),
            headcount=6,
        )
    url = f"/projects/{own_project.pk}/"
    assert "近期本项目有 5 件信访、30 人次" in client_for(leader).get(url).content.decode()
    seen = client_for(department_user).get(url).content.decode()
    assert "近期本项目有 3 件信访、18 人次" in seen
    assert "5 件信访" not in seen
