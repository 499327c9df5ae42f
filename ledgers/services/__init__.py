"""Writes of the ledger entries: weekly progress reports, filed and edited (progress.py);
problems, funding, deliveries and inspections, and the removal of any entry (entries.py).

Each saves the entry with its history row and, in the same transaction, refreshes the project's
derived figures, so the ledger row is never out of step with its entries.
"""

from ledgers.services.entries import (
    DELIVERY_FIELDS,
    FUNDING_FIELDS,
    INSPECTION_FIELDS,
    PROBLEM_FIELDS,
    REPORT_FIELDS,
    area_for,
    delivery_create,
    delivery_fits,
    delivery_update,
    funding_record_create,
    funding_record_update,
    inspection_create,
    inspection_update,
    ledger_entry_delete,
    problem_create,
    problem_update,
)
from ledgers.services.progress import (
    WEEK_REPORTED,
    BatchRejected,
    ReportRow,
    progress_report_create,
    progress_report_update,
    progress_reports_file,
)

__all__ = [
    "DELIVERY_FIELDS",
    "FUNDING_FIELDS",
    "INSPECTION_FIELDS",
    "PROBLEM_FIELDS",
    "REPORT_FIELDS",
    "WEEK_REPORTED",
    "BatchRejected",
    "ReportRow",
    "area_for",
    "delivery_create",
    "delivery_fits",
    "delivery_update",
    "funding_record_create",
    "funding_record_update",
    "inspection_create",
    "inspection_update",
    "ledger_entry_delete",
    "problem_create",
    "problem_update",
    "progress_report_create",
    "progress_report_update",
    "progress_reports_file",
]
