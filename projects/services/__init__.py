"""Writes of projects, their milestones and saved filters (ledger.py); of the companies, 专班
and townships they name (directory.py).

Every entry point (pages, API, Excel import) calls these, so validation, permission checks,
history (who, when, 变更说明), codes and derived figures are the same whichever way a change
comes in. The import writes thousands of rows at once through the `*_many` forms, which apply
the same rules row by row and write in bulk.
"""

from projects.services.directory import (
    COMPANY_FIELDS,
    companies_by_key,
    companies_create_many,
    company_create,
    company_update,
    task_forces_create_many,
    township_merge,
)
from projects.services.ledger import (
    MILESTONE_FIELDS,
    PROJECT_CREATE_FIELDS,
    PROJECT_FIELDS,
    EditConflict,
    edit_conflict_message,
    milestone_create,
    milestone_update,
    project_check,
    project_create,
    project_update,
    projects_create_many,
    projects_insert_many,
    projects_plan_many,
    projects_update_many,
    save_with_history,
    saved_filter_create,
    saved_filter_delete,
)

__all__ = [
    "COMPANY_FIELDS",
    "MILESTONE_FIELDS",
    "PROJECT_CREATE_FIELDS",
    "PROJECT_FIELDS",
    "EditConflict",
    "companies_by_key",
    "companies_create_many",
    "company_create",
    "company_update",
    "edit_conflict_message",
    "milestone_create",
    "milestone_update",
    "project_check",
    "project_create",
    "project_update",
    "projects_create_many",
    "projects_insert_many",
    "projects_plan_many",
    "projects_update_many",
    "save_with_history",
    "saved_filter_create",
    "saved_filter_delete",
    "task_forces_create_many",
    "township_merge",
]
