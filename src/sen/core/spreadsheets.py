"""Text written into CSV and Excel files that a spreadsheet must never run as a formula.

Names in the exports come from the catalog and the agencies, which a province may import
from files it did not write. A cell that starts with ``=``, ``+``, ``-`` or ``@`` is read by
spreadsheet programs as a formula (CSV injection). CSV cells get a leading apostrophe, as
OWASP recommends; Excel cells are stored as text, so they show exactly as written.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Return ``value``, with an apostrophe in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_cell(sheet: Any, *, row: int, column: int, value: Any) -> Any:
    """Write ``value`` into the cell and return it; text is kept as text, never a formula."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # openpyxl stores any text that starts with "=" as a formula
    return cell
