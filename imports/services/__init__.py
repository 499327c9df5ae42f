"""Writes of the survey import: upload and check (checking.py), apply all-or-nothing through
the ledger's services (applying.py), undo (undoing.py)."""

from imports.services.applying import (
    ImportHasErrors,
    import_apply,
    import_apply_in_background,
    import_confirm,
)
from imports.services.checking import (
    import_check,
    import_set_as_of,
    import_submit,
    import_upload,
)
from imports.services.undoing import import_undo

__all__ = [
    "ImportHasErrors",
    "import_apply",
    "import_apply_in_background",
    "import_check",
    "import_confirm",
    "import_set_as_of",
    "import_submit",
    "import_undo",
    "import_upload",
]
