"""The ledger list's columns: chosen per person, kept on the server, 项目编号 and name always."""

import re
from collections.abc import Callable

from django.test import Client

from core.models import Preference, User
from projects.columns import DEFAULT_KEYS
from projects.models import Project
from tests.factories import ProjectFactory

LONG_NAME = (
    "城关镇人民政府与县城市建设投资发展集团有限公司联合实施的城北片区棚户区改造安置房暨配套商业综合体"
    "及地下停车场建设项目（一期、二期、三期）保障性住房工程第二标段及周边市政道路、给排水、燃气配套工程"
)


def headers(client: Client) -> list[str]:
    page = client.get("/projects/").content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head)
    return [re.sub(r"<span.*?</span>|<[^>]+>", "", cell) for cell in cells]


def test_a_new_user_sees_the_default_columns(
    client_for: Callable[[User], Client], leader: User, own_project: Project
) -> None:
    shown = headers(client_for(leader))
    assert shown[:2] == ["项目编号", "项目名称"]
    assert "风险" in shown
    assert "最近填报" in shown
    assert "开发企业" not in shown


def test_chosen_columns_are_remembered_for_the_user_only(
    client_for: Callable[[User], Client],
    leader: User,
    taskforce_member: User,
    own_project: Project,
) -> None:
    client = client_for(leader)
    response = client.post(
        "/projects/columns/",
        {"columns": ["developer", "risk", "nonsense"], "next": "/projects/?risk=high"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/projects/?risk=high"
    assert Preference.objects.get(user=leader).value == ["developer", "risk"]
    assert headers(client) == ["项目编号", "项目名称", "开发企业", "风险"]
    assert "开发企业" not in headers(client_for(taskforce_member))

    client.post("/projects/columns/", {"reset": "1", "next": "/projects/"})
    assert not Preference.objects.filter(user=leader).exists()
    assert len(headers(client)) == 2 + len(DEFAULT_KEYS)


def test_the_column_form_returns_only_to_the_ledger(
    client_for: Callable[[User], Client], leader: User
) -> None:
    response = client_for(leader).post(
        "/projects/columns/", {"columns": ["risk"], "next": "https://evil.example/projects/"}
    )
    assert response["Location"] == "/projects/"


def test_a_long_name_is_clamped_with_the_whole_name_on_hover(
    client_for: Callable[[User], Client], leader: User
) -> None:
    ProjectFactory.create(name=LONG_NAME)
    page = client_for(leader).get("/projects/").content.decode()
    assert f'class="text-reset fw-semibold name-clamp" title="{LONG_NAME}"' in page
    assert f'<div class="name-clamp fw-semibold" title="{LONG_NAME}">' in page
