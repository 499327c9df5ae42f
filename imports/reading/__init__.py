"""Reading survey workbooks as the person sees them in Excel (see table.py)."""
