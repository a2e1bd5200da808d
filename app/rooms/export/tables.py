"""The export's tables, built once as plain rows from the `export.json` dict (SPEC §6):
the log (one row per card), the commitments and the organisations. Every cell is
neutralised here, so no writer can hand a spreadsheet a formula."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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
PROGRESS_COLUMNS = ("at", "what", "owner", "owner_organisation", "progress", "note",
                    "updated_by")
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

@dataclass(frozen=True)
class Table:
    """One sheet's worth of rows, already safe to hand to a spreadsheet."""

    name: str
    columns: tuple[str, ...]
    rows: list[Row]


def neutralise(text: str) -> str:
    """`text`, prefixed with `'` if a spreadsheet would read it as a formula, also after
    the leading whitespace (spaces, newlines, tabs) that some apps strip first."""
    formula = text.startswith(_FORMULA_TRIGGERS) or text.lstrip().startswith(_FORMULA_STARTS)
    return "'" + text if formula else text


def safe_table(name: str, columns: tuple[str, ...], rows: Iterable[Row]) -> Table:
    # Neutralise in this one place so no writer can forget to.
    safe = [[neutralise(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]
    return Table(name, columns, safe)


def log_table(log: Json) -> Table:
    prompt_texts = {prompt["id"]: prompt["text"] for prompt in log["prompts"]}
    rows = (_log_row(card, prompt_texts) for card in log["cards"])
    return safe_table("Log", LOG_COLUMNS, rows)


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


def commitment_table(log: Json) -> Table:
    cards_by_id = {card["id"]: card for card in log["cards"]}
    rows = (
        _commitment_row(card, cards_by_id)
        for card in log["cards"]
        if card["commitment"] is not None
    )
    return safe_table("Commitments", COMMITMENT_COLUMNS, rows)


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


def progress_table(log: Json) -> Table:
    """Every report of progress on a commitment, oldest first (the log's
    `progress_history`): the history the Commitments sheet shows only the latest of."""
    cards_by_id = {card["id"]: card for card in log["cards"]}
    rows = []
    for update in log.get("progress_history", ()):
        card = cards_by_id[update["card_id"]]
        owner = (card["commitment"] or {}).get("owner") or {}
        rows.append([update["at"], card["text"], owner.get("name", ""),
                     owner.get("organisation", ""), update["progress"], update["note"],
                     (update["by"] or {}).get("name", "")])
    return safe_table("Progress", PROGRESS_COLUMNS, rows)


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


def organisation_table(log: Json) -> Table:
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
    return safe_table("Organisations", ORGANISATION_COLUMNS, rows)


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
