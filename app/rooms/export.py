"""Render a room's log (the JSON export, SPEC §6) to CSV and XLSX bytes.

Pure functions: the `export.json` dict in, file bytes out, no I/O. Every table
is built once as plain rows and then rendered by both writers, so the CSV and
the workbook's *Log* sheet cannot drift apart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from app.rooms.views import beneficiary, organisation_key

Cell = str | int | None
Row = list[Cell]
Json = Mapping[str, Any]

LOG_COLUMNS = (
    "seq",
    "created_at",
    "kind",
    "status",
    "text",
    "from_name",
    "from_organisation",
    "to_name",
    "to_organisation",
    "reply_to",
    "prompt",
    "answer",
    "answer_note",
    "answered_by",
    "answered_at",
    "commitment_owner",
    "progress",
    "hidden",
)
COMMITMENT_COLUMNS = (
    "owner",
    "owner_organisation",
    "what",
    "for_whom",
    "for_whom_organisation",
    "source",
    "progress",
    "note",
    "updated_by",
)
ORGANISATION_COLUMNS = (
    "organisation",
    "participants",
    "requests_made",
    "requests_received",
    "commitments_made",
)

# Who a self-commitment with nothing to reply to is for.
THE_ROOM = "the room"
NO_ORGANISATION = "(no organisation)"

# OWASP's CSV-injection list: a spreadsheet treats a cell starting with any of
# these as a formula (tab, CR and LF because some apps strip them and then parse).
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_FORMULA_STARTS = ("=", "+", "-", "@")

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


@dataclass(frozen=True)
class Table:
    """One sheet's worth of rows, already safe to hand to a spreadsheet."""

    name: str
    columns: tuple[str, ...]
    rows: list[Row]


def log_to_csv(log: Json) -> bytes:
    """The log as CSV: one row per card in the given order, UTF-8 with a BOM."""
    table = _log_table(log)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    # The BOM is what makes Excel read the file as UTF-8 rather than ANSI.
    return buffer.getvalue().encode("utf-8-sig")


def log_to_xlsx(log: Json) -> bytes:
    """The log as a workbook with sheets Log, Commitments and Organisations."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, _XLSX_OPTIONS)
    header = workbook.add_format({"bold": True})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    for table in (_log_table(log), _commitment_table(log), _organisation_table(log)):
        _write_sheet(workbook, table, header, wrapped)
    workbook.close()
    return output.getvalue()


def neutralise(text: str) -> str:
    """`text`, prefixed with `'` if a spreadsheet would read it as a formula, also after
    the leading whitespace (spaces, newlines, tabs) that some apps strip first."""
    formula = text.startswith(_FORMULA_TRIGGERS) or text.lstrip().startswith(_FORMULA_STARTS)
    return "'" + text if formula else text


def export_filename(log: Json, extension: str) -> str:
    """The download's name, from the room's own code: never the request path's spelling
    of it (which may carry any character, a tab or a quote among them)."""
    return f"askroom-{log['room']['code']}.{extension}"


# --- tables ---------------------------------------------------------------


def _table(name: str, columns: tuple[str, ...], rows: Iterable[Row]) -> Table:
    # Neutralise in this one place so no writer can forget to.
    safe = [[neutralise(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]
    return Table(name, columns, safe)


def _log_table(log: Json) -> Table:
    prompt_texts = {prompt["id"]: prompt["text"] for prompt in log["prompts"]}
    rows = (_log_row(card, prompt_texts) for card in log["cards"])
    return _table("Log", LOG_COLUMNS, rows)


def _log_row(card: Json, prompt_texts: Mapping[int, str]) -> Row:
    target = card["to"] or {}
    to_participant = target.get("participant") or {}
    latest_reply = card["replies"][-1] if card["replies"] else {}
    answered_by = latest_reply.get("by") or {}
    commitment = card["commitment"] or {}
    owner = commitment.get("owner") or {}
    return [
        card["seq"],
        card["created_at"],
        card["kind"],
        card["status"],
        card["text"],
        card["author"]["name"],
        card["author"]["organisation"],
        to_participant.get("name", ""),
        # Only the organisation named as a target; a person-only request leaves it "".
        target.get("organisation") or "",
        card["reply_to"],
        prompt_texts.get(card["prompt_id"], ""),
        latest_reply.get("answer", ""),
        latest_reply.get("note", ""),
        answered_by.get("name", ""),
        latest_reply.get("at", ""),
        owner.get("name", ""),
        commitment.get("progress", ""),
        "true" if card["hidden"] else "false",
    ]


def _commitment_table(log: Json) -> Table:
    cards_by_id = {card["id"]: card for card in log["cards"]}
    rows = (
        _commitment_row(card, cards_by_id)
        for card in log["cards"]
        if card["commitment"] is not None
    )
    return _table("Commitments", COMMITMENT_COLUMNS, rows)


def _commitment_row(card: Json, cards_by_id: Mapping[int, Json]) -> Row:
    commitment = card["commitment"]
    owner = commitment["owner"]
    beneficiary = _beneficiary(card, cards_by_id)
    return [
        owner["name"],
        owner["organisation"],
        card["text"],
        beneficiary["name"] if beneficiary else THE_ROOM,
        beneficiary["organisation"] if beneficiary else "",
        _source_text(card, cards_by_id),
        commitment["progress"],
        commitment["note"],
        # Who last set the progress (the owner, or the person it is for); "" until set.
        (commitment.get("updated_by") or {}).get("name", ""),
    ]


def _beneficiary(card: Json, cards_by_id: Mapping[int, Json]) -> Json | None:
    """Who a commitment is for: the asker, or None when it is for the whole room."""
    answered = _answered_card(card, cards_by_id)
    return beneficiary(card["kind"], card["author"], answered["author"] if answered else None)


def _source_text(card: Json, cards_by_id: Mapping[int, Json]) -> str:
    """The text of the request or ask a commitment came from, or ""."""
    if card["kind"] == "request":
        return card["text"]
    answered = _answered_card(card, cards_by_id)
    return answered["text"] if answered else ""


def _answered_card(card: Json, cards_by_id: Mapping[int, Json]) -> Json | None:
    reply_to = card["reply_to"]
    return cards_by_id.get(reply_to) if reply_to is not None else None


@dataclass
class _OrganisationTally:
    label: str
    participants: int = 0
    requests_made: int = 0
    requests_received: int = 0
    commitments_made: int = 0


def counts_in_the_room(card: Json) -> bool:
    """The one definition behind every count per organisation, here and in the report
    (report-model.js `countsInTheRoom`): a card counts when the room saw it, so not one
    its author withdrew, nor one the facilitator hid."""
    return card["status"] != "withdrawn" and not card["hidden"]


def _seen_as_author(card: Json, person: Json) -> bool:
    """False when `person` wrote `card` and chose to be anonymous to the room: the room
    never learned their organisation, so the card counts for none (as in the report)."""
    return not (card["identity"] == "anonymous" and person["id"] == card["author"]["id"])


def _organisation_table(log: Json) -> Table:
    tallies: dict[str, _OrganisationTally] = {}
    member_keys: dict[int, str] = {}
    for participant in log["participants"]:
        key = organisation_key(participant["organisation"])
        # The first spelling seen is the one shown (SPEC §2).
        label = participant["organisation"] if key else NO_ORGANISATION
        tallies.setdefault(key, _OrganisationTally(label)).participants += 1
        member_keys[participant["id"]] = key

    def key_of(person: Json) -> str:
        # Membership comes from the participants list; the embedded copy is a fallback.
        return member_keys.get(person["id"], organisation_key(person["organisation"]))

    for card in filter(counts_in_the_room, log["cards"]):
        if card["kind"] == "request":
            if _seen_as_author(card, card["author"]):
                if tally := tallies.get(key_of(card["author"])):
                    tally.requests_made += 1
            for key in _receiving_keys(card, key_of):
                if tally := tallies.get(key):
                    tally.requests_received += 1
        owner = card["commitment"] and card["commitment"]["owner"]
        if owner and _seen_as_author(card, owner):
            if tally := tallies.get(key_of(owner)):
                tally.commitments_made += 1

    # Named organisations in order of first appearance; the people without one last.
    ordered = [tally for key, tally in tallies.items() if key] + (
        [tallies[""]] if "" in tallies else []
    )
    rows = (
        [t.label, t.participants, t.requests_made, t.requests_received, t.commitments_made]
        for t in ordered
    )
    return _table("Organisations", ORGANISATION_COLUMNS, rows)


def _receiving_keys(request: Json, key_of: Callable[[Json], str]) -> set[str]:
    """Organisation keys a request is addressed to, directly or through a person."""
    target = request["to"] or {}
    # A set, so a request naming both a person and their organisation counts once.
    keys = set()
    if target.get("organisation"):
        keys.add(organisation_key(target["organisation"]))
    if target.get("participant"):
        keys.add(key_of(target["participant"]))
    return keys


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
