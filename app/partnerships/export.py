"""The register as files (SPEC §10): CSV (the register), XLSX (a sheet per view: the
register, by organisation, by meeting, and every progress report). Pure: the register's
JSON in, rows out; the rooms' writers (and their formula guard) turn them into bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from app.partnerships.register import STATUSES
from app.rooms.export import Table, safe_table, table_to_csv, tables_to_xlsx
from app.rooms.views import JSON, organisation_key

REGISTER_COLUMNS = ("ref", "meeting", "raised_at", "kind", "what", "owner",
                    "owner_organisation", "for_whom", "for_whom_organisation", "due",
                    "status", "progress", "note", "updated_at", "closed_at")
TALLY_COLUMNS = ("commitments", *STATUSES, "kept_rate")
HISTORY_COLUMNS = ("ref", "at", "progress", "note", "by", "by_organisation")
THE_ROOM = "the room"
NO_ORGANISATION = "(no organisation)"


def _name(person: JSON | None) -> str:
    return (person or {}).get("name") or ""


def _organisation(person: JSON | None) -> str:
    return (person or {}).get("organisation") or ""


def register_table(entries: Sequence[JSON]) -> Table:
    rows = ([e["ref"], f"{e['meeting']['number']}. {e['meeting']['title']}", e["raised_at"],
             e["kind"], e["what"], _name(e["owner"]), _organisation(e["owner"]),
             _name(e["for_whom"]) if e["for_whom"] else THE_ROOM,
             _organisation(e["for_whom"]), e["due"] or "", e["status"], e["progress"],
             e["note"], e["updated_at"] or "", e["closed_at"] or ""] for e in entries)
    return safe_table("Register", REGISTER_COLUMNS, rows)


def kept_rate(entries: Iterable[JSON]) -> str:
    """The share of commitments done, as a whole percentage; "" with none."""
    made = list(entries)
    if not made:
        return ""
    done = sum(1 for e in made if e["status"] == "done")
    return f"{round(100 * done / len(made))}%"


def _tallies(entries: Sequence[JSON], label: Callable[[JSON], str]) -> list[list[str | int]]:
    groups: dict[str, list[JSON]] = {}
    for entry in entries:
        groups.setdefault(label(entry), []).append(entry)
    return [[name, len(group), *(sum(1 for e in group if e["status"] == s) for s in STATUSES),
             kept_rate(group)] for name, group in groups.items()]


def by_organisation_table(entries: Sequence[JSON]) -> Table:
    """Per owner's organisation, in order of first commitment (spellings grouped)."""
    spelling: dict[str, str] = {}

    def label(entry: JSON) -> str:
        name = _organisation(entry["owner"])
        return spelling.setdefault(organisation_key(name), name) if name else NO_ORGANISATION
    return safe_table("By organisation", ("organisation", *TALLY_COLUMNS),
                      _tallies(entries, label))


def by_meeting_table(entries: Sequence[JSON]) -> Table:
    return safe_table("By meeting", ("meeting", *TALLY_COLUMNS), _tallies(
        entries, lambda e: f"{e['meeting']['number']}. {e['meeting']['title']}"))


def history_table(entries: Sequence[JSON]) -> Table:
    rows = ([e["ref"], u["at"], u["progress"], u["note"], _name(u["by"]), _organisation(u["by"])]
            for e in entries for u in e["history"])
    return safe_table("History", HISTORY_COLUMNS, rows)


def register_csv(entries: Sequence[JSON]) -> bytes:
    return table_to_csv(register_table(entries))


def register_xlsx(entries: Sequence[JSON]) -> bytes:
    return tables_to_xlsx([register_table(entries), by_organisation_table(entries),
                           by_meeting_table(entries), history_table(entries)])
