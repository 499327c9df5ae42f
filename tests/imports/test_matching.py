"""Names meet the ledger on one normalised key on both sides, are stored as typed, and a name
that only looks like a known one is never created without a word (issue 13, kind 6)."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from core.models import User
from imports import services
from projects.models import Company, Project, TaskForce
from projects.services import company_create
from tests.factories import CompanyFactory, ProjectFactory, TownshipFactory
from tests.imports.sheets import row, survey
from tests.imports.test_import import upload
from tests.imports.xlsx import xlsx


@pytest.fixture
def member(taskforce_member: User) -> User:
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇 专班")
    TownshipFactory.create(name="城关镇")  # the sheets' township, on the admin's list
    return taskforce_member


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


@pytest.fixture
def ledger_project(member: User) -> Project:
    return ProjectFactory.create(
        code="BJF-2024-00007",
        name="翠湖花园（二期）",
        township="城关镇",
        developer=CompanyFactory.create(name="示范县新城房地产开发有限公司（集团）"),
        task_force=TaskForce.objects.get(members=member),
        units_sold=300,
    )


def test_a_name_typed_differently_from_the_ledger_matches_its_project(
    member: User, ledger_project: Project
) -> None:
    sheet_row = row(
        code="",
        name="翠湖花园(二期)",
        township="城关镇 ",
        developer="示范县新城房地产开发有限公司(集团)",
        task_force="城关镇专班",
        sold="320",
        undelivered=320,
    )
    batch = upload(member, xlsx(survey([sheet_row])))
    (result,) = batch.preview["rows"]
    assert (result["status"], result["code"]) == ("changed", "BJF-2024-00007"), result
    assert batch.preview["new_companies"] == ["示范县宏达建设工程有限公司"]  # the contractor
    services.import_apply(actor=member, batch=batch)
    assert Project.objects.count() == 1
    ledger_project.refresh_from_db()
    assert ledger_project.name == "翠湖花园（二期）"  # the ledger's spelling stays
    assert ledger_project.units_sold == 320
    assert TaskForce.objects.count() == 1


def test_a_company_that_only_looks_like_a_known_one_is_new_with_a_warning(
    member: User, ledger_project: Project
) -> None:
    CompanyFactory.create(name="示范县宏达建设工程有限公司")
    batch = upload(member, xlsx(survey([row(code="CG-009", contractor="示范县宏达建设工程公司")])))
    warnings = batch.preview["rows"][0]["warnings"]
    assert any("已登记的“示范县宏达建设工程有限公司”与其名称相近" in m for _, m in warnings)


def test_a_new_project_named_like_one_of_another_developer_is_a_warning(
    member: User, ledger_project: Project
) -> None:
    batch = upload(member, xlsx(survey([row(code="", name="翠湖花园 (二期)")])))
    (result,) = batch.preview["rows"]
    assert result["status"] == "new"
    assert any("台账中已有同名项目（BJF-2024-00007" in m for _, m in result["warnings"])


def test_a_typed_code_matches_whatever_its_width_and_case(
    member: User, ledger_project: Project
) -> None:
    batch = upload(
        member,
        xlsx(
            survey(
                [
                    row(
                        code="ｂｊｆ－2024－00007",
                        name="翠湖花园（二期）",
                        developer="示范县新城房地产开发有限公司（集团）",
                    )
                ]
            )
        ),
    )
    assert batch.preview["rows"][0]["code"] == "BJF-2024-00007"


def test_the_ledger_refuses_a_second_company_spelt_another_way(admin_user: User) -> None:
    CompanyFactory.create(name="示范县新城房地产开发有限公司")
    with pytest.raises(ValidationError, match="是同一名称"):
        company_create(actor=admin_user, data={"name": "示范县新城房地产开发有限公司 "})
    assert Company.objects.count() == 1
