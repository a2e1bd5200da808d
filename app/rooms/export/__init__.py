"""Render a room's log (the JSON export, SPEC §6) to CSV and XLSX bytes.

Pure functions: the `export.json` dict in, file bytes out, no I/O. Every table
is built once as plain rows (`tables`) and then rendered by both writers, so the CSV
and the workbook's *Log* sheet cannot drift apart.
"""

from __future__ import annotations

import csv
import io

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from app.rooms.export.tables import (
    Cell,
    Json,
    Table,
    commitment_table,
    counts_in_the_room,
    log_table,
    neutralise,
    organisation_table,
    progress_table,
    safe_table,
)

__all__ = ["Table", "counts_in_the_room", "export_filename", "log_to_csv", "log_to_xlsx",
           "neutralise", "safe_table", "table_to_csv", "tables_to_xlsx"]

_XLSX_OPTIONS = {
    "in_memory": True,
    # Never let the writer turn user text into formulas, numbers or links.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
_DEFAULT_WIDTH = 14
_COLUMN_WIDTHS = {
    "seq": 7,
    "created_at": 25,
    "answered_at": 25,
    "kind": 9,
    "status": 10,
    "text": 60,
    "what": 50,
    "source": 50,
    "prompt": 40,
    "answer_note": 40,
    "note": 40,
    "from_name": 20,
    "to_name": 20,
    "answered_by": 20,
    "commitment_owner": 20,
    "owner": 20,
    "updated_by": 20,
    "ref": 11,
    "meeting": 30,
    "raised_at": 25,
    "updated_at": 25,
    "closed_at": 25,
    "at": 25,
    "for_whom": 20,
    "from_organisation": 26,
    "to_organisation": 26,
    "owner_organisation": 26,
    "for_whom_organisation": 26,
    "organisation": 30,
    "reply_to": 9,
    "hidden": 8,
}
# Long free text reads better wrapped than as one endless line.
_WRAPPED_COLUMNS = frozenset({"text", "what", "source", "prompt", "answer_note", "note"})


def log_to_csv(log: Json) -> bytes:
    """The log as CSV: one row per card in the given order, UTF-8 with a BOM."""
    return table_to_csv(log_table(log))


def table_to_csv(table: Table) -> bytes:
    """One table as CSV, UTF-8 with a BOM (its cells already neutralised)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    # The BOM is what makes Excel read the file as UTF-8 rather than ANSI.
    return buffer.getvalue().encode("utf-8-sig")


def log_to_xlsx(log: Json) -> bytes:
    """The log as a workbook with sheets Log, Commitments, Organisations and Progress
    (SPEC §6's three first, as it lists them)."""
    return tables_to_xlsx([log_table(log), commitment_table(log), organisation_table(log),
                           progress_table(log)])


def tables_to_xlsx(tables: list[Table]) -> bytes:
    """A workbook with a sheet per table, in order."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, _XLSX_OPTIONS)
    header = workbook.add_format({"bold": True})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    for table in tables:
        _write_sheet(workbook, table, header, wrapped)
    workbook.close()
    return output.getvalue()


def export_filename(log: Json, extension: str) -> str:
    """The download's name, from the room's own code: never the request path's spelling
    of it (which may carry any character, a tab or a quote among them)."""
    return f"askroom-{log['room']['code']}.{extension}"



# --- rendering ------------------------------------------------------------


def _write_sheet(
    workbook: xlsxwriter.Workbook,
    table: Table,
    header: Format,
    wrapped: Format,
) -> None:
    sheet = workbook.add_worksheet(table.name)
    for col, name in enumerate(table.columns):
        sheet.write_string(0, col, name, header)
        sheet.set_column(col, col, _COLUMN_WIDTHS.get(name, _DEFAULT_WIDTH))
    for row_number, row in enumerate(table.rows, start=1):
        for col, value in enumerate(row):
            cell_format = wrapped if table.columns[col] in _WRAPPED_COLUMNS else None
            _write_cell(sheet, row_number, col, value, cell_format)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)


def _write_cell(
    sheet: Worksheet, row: int, col: int, value: Cell, cell_format: Format | None
) -> None:
    # Typed writes, never sheet.write(): nothing is ever guessed to be a formula.
    if isinstance(value, int):
        sheet.write_number(row, col, value, cell_format)
    elif value:
        sheet.write_string(row, col, value, cell_format)
    # None and "" stay blank cells rather than empty strings.
