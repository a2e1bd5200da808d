"""The CSV and XLSX renderings of a room's log, read back with real parsers."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from app.rooms.export import log_to_csv, log_to_xlsx

LOG_HEADER = [
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
]
COMMITMENTS_HEADER = [
    "owner",
    "owner_organisation",
    "what",
    "for_whom",
    "for_whom_organisation",
    "source",
    "progress",
    "note",
    "updated_by",
]
ORGANISATIONS_HEADER = [
    "organisation",
    "participants",
    "requests_made",
    "requests_received",
    "commitments_made",
]

# --- building logs -----------------------------------------------------------


def _person(participant: dict[str, Any]) -> dict[str, Any]:
    return {key: participant[key] for key in ("id", "name", "organisation")}


def _participant(pid: int, name: str, organisation: str, at: str) -> dict[str, Any]:
    return {"id": pid, "name": name, "organisation": organisation, "joined_at": at}


def _prompt(pid: int, text: str, collects: str, **extra: Any) -> dict[str, Any]:
    prompt = {
        "id": pid,
        "text": text,
        "collects": collects,
        "library_key": None,
        "duration_s": None,
        "self_commit": False,
        "opened_at": "2026-11-27T09:00:00.000Z",
        "closed_at": None,
    }
    return prompt | extra


def _card(
    cid: int,
    kind: str,
    text: str,
    author: dict[str, Any],
    *,
    seq: int,
    created_at: str,
    status: str = "open",
    to_participant: dict[str, Any] | None = None,
    to_organisation: str | None = None,
    reply_to: int | None = None,
    prompt_id: int | None = None,
    replies: list[dict[str, Any]] | None = None,
    commitment: dict[str, Any] | None = None,
    hidden: bool = False,
    identity: str = "named",
) -> dict[str, Any]:
    has_target = to_participant is not None or to_organisation is not None
    return {
        "id": cid,
        "kind": kind,
        "text": text,
        "status": status,
        "identity": identity,
        "hidden": hidden,
        "spotlight": False,
        "author": _person(author),
        "to": (
            {
                "participant": _person(to_participant) if to_participant else None,
                "organisation": to_organisation,
            }
            if has_target
            else None
        ),
        "reply_to": reply_to,
        "prompt_id": prompt_id,
        "replies": replies or [],
        "commitment": commitment,
        "created_at": created_at,
        "seq": seq,
        "client_id": f"client-{cid}",
    }


def _reply(answer: str, note: str, by: dict[str, Any], at: str) -> dict[str, Any]:
    return {"answer": answer, "note": note, "by": _person(by), "at": at}


def _commitment(
    owner: dict[str, Any],
    progress: str,
    note: str = "",
    updated_at: str | None = None,
    updated_by: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {"owner": _person(owner), "progress": progress, "note": note,
            "updated_at": updated_at, "updated_by": updated_by and _person(updated_by),
            "updated_by_shown": "named"}


def _log(
    participants: list[dict[str, Any]],
    prompts: list[dict[str, Any]],
    cards: list[dict[str, Any]],
    title: str = "County partnership board",
) -> dict[str, Any]:
    seq = max((card["seq"] for card in cards), default=0)
    return {
        "room": {
            "code": "K7MQ2P",
            "title": title,
            "purpose": "Join up services for people out of work and people in crisis",
            "state": "closed",
            "seq": seq,
            "created_at": "2026-11-27T08:55:00.000Z",
        },
        "prompts": prompts,
        "participants": participants,
        "cards": cards,
        "events": [
            {"seq": card["seq"], "event": "card.created", "at": card["created_at"], "data": {}}
            for card in cards
        ],
    }


# The people of the SPEC's two origin stories, plus someone with no organisation.
DANA = _participant(1, "Dana Price", "Pathways Work Programme", "2026-11-27T09:01:00.000Z")
SAM = _participant(2, "Sam Okafor", "County Council", "2026-11-27T09:01:30.000Z")
PRIYA = _participant(3, "Priya Shah", "NHS Commissioning", "2026-11-27T09:02:00.000Z")
TOM = _participant(4, "Tom Hale", "County Council", "2026-11-27T09:02:10.000Z")
JO = _participant(5, "Jo Mills", "Volunteer Centre", "2026-11-27T09:02:20.000Z")
ALEX = _participant(6, "Alex Reed", "", "2026-11-27T09:02:30.000Z")

TELL_SOMEONE = (
    "Tell another person here one thing they could do differently that would help you do your job."
)
ASK_THE_ROOM = "Ask the room for help with something you cannot fix alone."
COMMITMENTS_ROUND = "What will you do in the next two weeks because of today?"
WELFARE_REQUEST = (
    "Advice to my customers never mentions the value of trying to get a job. "
    "Could your welfare-rights team talk about it?"
)
WELFARE_ANSWER = "You are right. I will go back and change the team's remit and job descriptions."
WINTER_ASK = (
    "Winter crisis: norovirus, flu, no beds, frail people sent home at midnight. "
    "What can you do now?"
)
FLU_OFFER = "I'll co-ordinate a message to all our staff about flu jabs."
VOLUNTEER_OFFER = "We'll send volunteers to A&E to accompany people home at night."
WRITE_UP = "I'll write up today's requests and send them round by Friday."


def origin_stories_log() -> dict[str, Any]:
    """One room holding both of SPEC's origin stories, in the order they happened."""
    prompts = [
        _prompt(1, TELL_SOMEONE, "request", library_key="tell-someone", duration_s=600),
        _prompt(2, ASK_THE_ROOM, "any", library_key="ask-the-room"),
        _prompt(3, COMMITMENTS_ROUND, "offer", library_key="commitments-round", self_commit=True),
    ]
    cards = [
        # Story 1: a direct request, answered yes with a note, becomes a commitment.
        _card(
            1,
            "request",
            WELFARE_REQUEST,
            DANA,
            seq=10,
            created_at="2026-11-27T09:05:00.000Z",
            status="yes",
            to_participant=SAM,
            to_organisation="County Council",
            prompt_id=1,
            replies=[_reply("yes", WELFARE_ANSWER, SAM, "2026-11-27T09:20:00.000Z")],
            commitment=_commitment(SAM, "in_progress", "Remit redrafted", "2026-12-04T10:00:00Z",
                                   updated_by=DANA),
        ),
        # A request to an organisation only, answered twice: the latest answer stands.
        _card(
            2,
            "request",
            "Tell us when a customer's sanction starts, so we can help in time.",
            ALEX,
            seq=11,
            created_at="2026-11-27T09:06:00.000Z",
            status="no",
            to_organisation="Pathways Work Programme",
            prompt_id=1,
            replies=[
                _reply("unclear", "Which customers?", DANA, "2026-11-27T09:21:00.000Z"),
                _reply("no", "Data protection stops us.", DANA, "2026-11-27T09:23:00.000Z"),
            ],
        ),
        # Story 2: an ask for help with two accepted offers, each a commitment.
        _card(
            3,
            "ask",
            WINTER_ASK,
            PRIYA,
            seq=12,
            created_at="2026-11-27T09:30:00.000Z",
            prompt_id=2,
        ),
        _card(
            4,
            "offer",
            FLU_OFFER,
            TOM,
            seq=15,
            created_at="2026-11-27T09:32:00.000Z",
            status="accepted",
            reply_to=3,
            prompt_id=2,
            commitment=_commitment(TOM, "done", "Sent to 4,000 staff", "2026-11-29T08:00:00Z",
                                   updated_by=TOM),
        ),
        _card(
            5,
            "offer",
            VOLUNTEER_OFFER,
            JO,
            seq=16,
            created_at="2026-11-27T09:33:00.000Z",
            status="accepted",
            reply_to=3,
            prompt_id=2,
            commitment=_commitment(JO, "not_started"),
        ),
        # Withdrawn and hidden by the facilitator: still in the organiser's log.
        _card(
            6,
            "offer",
            "Buy everyone a pizza",
            ALEX,
            seq=17,
            created_at="2026-11-27T09:34:00.000Z",
            status="withdrawn",
            reply_to=3,
            prompt_id=2,
            hidden=True,
        ),
        # A self-commitment with nothing to reply to is for the whole room.
        _card(
            7,
            "offer",
            WRITE_UP,
            ALEX,
            seq=18,
            created_at="2026-11-27T09:50:00.000Z",
            prompt_id=3,
            commitment=_commitment(ALEX, "not_started"),
        ),
        # Posted with no prompt current.
        _card(
            8,
            "ask",
            "Who has a spare meeting room?",
            JO,
            seq=19,
            created_at="2026-11-27T10:00:00.000Z",
        ),
    ]
    return _log([DANA, SAM, PRIYA, TOM, JO, ALEX], prompts, cards)


# The rows both formats must carry for origin_stories_log(), as CSV text.
EXPECTED_LOG_ROWS = [
    [
        "10", "2026-11-27T09:05:00.000Z", "request", "yes", WELFARE_REQUEST,
        "Dana Price", "Pathways Work Programme", "Sam Okafor", "County Council", "",
        TELL_SOMEONE, "yes", WELFARE_ANSWER, "Sam Okafor", "2026-11-27T09:20:00.000Z",
        "Sam Okafor", "in_progress", "false",
    ],
    [
        "11", "2026-11-27T09:06:00.000Z", "request", "no",
        "Tell us when a customer's sanction starts, so we can help in time.",
        "Alex Reed", "", "", "Pathways Work Programme", "",
        TELL_SOMEONE, "no", "Data protection stops us.", "Dana Price", "2026-11-27T09:23:00.000Z",
        "", "", "false",
    ],
    [
        "12", "2026-11-27T09:30:00.000Z", "ask", "open", WINTER_ASK,
        "Priya Shah", "NHS Commissioning", "", "", "",
        ASK_THE_ROOM, "", "", "", "",
        "", "", "false",
    ],
    [
        "15", "2026-11-27T09:32:00.000Z", "offer", "accepted", FLU_OFFER,
        "Tom Hale", "County Council", "", "", "3",
        ASK_THE_ROOM, "", "", "", "",
        "Tom Hale", "done", "false",
    ],
    [
        "16", "2026-11-27T09:33:00.000Z", "offer", "accepted", VOLUNTEER_OFFER,
        "Jo Mills", "Volunteer Centre", "", "", "3",
        ASK_THE_ROOM, "", "", "", "",
        "Jo Mills", "not_started", "false",
    ],
    [
        "17", "2026-11-27T09:34:00.000Z", "offer", "withdrawn", "Buy everyone a pizza",
        "Alex Reed", "", "", "", "3",
        ASK_THE_ROOM, "", "", "", "",
        "", "", "true",
    ],
    [
        "18", "2026-11-27T09:50:00.000Z", "offer", "open", WRITE_UP,
        "Alex Reed", "", "", "", "",
        COMMITMENTS_ROUND, "", "", "", "",
        "Alex Reed", "not_started", "false",
    ],
    [
        "19", "2026-11-27T10:00:00.000Z", "ask", "open", "Who has a spare meeting room?",
        "Jo Mills", "Volunteer Centre", "", "", "",
        "", "", "", "", "",
        "", "", "false",
    ],
]  # fmt: skip

# --- reading files back --------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_values(sheet: Worksheet) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def as_csv_text(value: Any) -> str:
    """A workbook value as the CSV would spell it (blank cells are "")."""
    return "" if value is None else str(value)


# --- the origin stories ------------------------------------------------------------


def test_csv_has_a_bom_the_header_and_one_row_per_card_in_order() -> None:
    rows = read_csv(log_to_csv(origin_stories_log()))

    assert rows[0] == LOG_HEADER
    assert rows[1:] == EXPECTED_LOG_ROWS


def test_csv_of_a_room_with_no_cards_is_just_the_header() -> None:
    data = log_to_csv(_log([DANA], [], []))

    assert read_csv(data) == [LOG_HEADER]


def test_xlsx_log_sheet_matches_the_csv_cell_by_cell() -> None:
    workbook = read_xlsx(log_to_xlsx(origin_stories_log()))

    assert workbook.sheetnames == ["Log", "Commitments", "Organisations", "Progress"]
    values = sheet_values(workbook["Log"])
    assert values[0] == LOG_HEADER
    assert [[as_csv_text(value) for value in row] for row in values[1:]] == EXPECTED_LOG_ROWS


def test_xlsx_log_sheet_writes_numbers_as_numbers_and_is_readable() -> None:
    sheet = read_xlsx(log_to_xlsx(origin_stories_log()))["Log"]

    assert sheet["A2"].value == 10 and sheet["A2"].data_type == "n"
    assert sheet["J5"].value == 3 and sheet["J5"].data_type == "n"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["E2"].alignment.wrap_text
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["A"].width


def test_xlsx_commitments_sheet_names_owner_beneficiary_and_source() -> None:
    sheet = read_xlsx(log_to_xlsx(origin_stories_log()))["Commitments"]

    values = [[as_csv_text(value) for value in row] for row in sheet_values(sheet)]
    assert values == [
        COMMITMENTS_HEADER,
        [
            "Sam Okafor", "County Council", WELFARE_REQUEST,
            "Dana Price", "Pathways Work Programme", WELFARE_REQUEST,
            # The person it was for set the progress: the sheet says who.
            "in_progress", "Remit redrafted", "Dana Price",
        ],
        [
            "Tom Hale", "County Council", FLU_OFFER,
            "Priya Shah", "NHS Commissioning", WINTER_ASK,
            "done", "Sent to 4,000 staff", "Tom Hale",
        ],
        [
            "Jo Mills", "Volunteer Centre", VOLUNTEER_OFFER,
            "Priya Shah", "NHS Commissioning", WINTER_ASK,
            "not_started", "", "",
        ],
        ["Alex Reed", "", WRITE_UP, "the room", "", "", "not_started", "", ""],
    ]  # fmt: skip


def test_xlsx_organisations_sheet_counts_requests_and_commitments() -> None:
    sheet = read_xlsx(log_to_xlsx(origin_stories_log()))["Organisations"]

    assert sheet_values(sheet) == [
        ORGANISATIONS_HEADER,
        # Dana made the welfare request and her organisation received Alex's.
        ["Pathways Work Programme", 1, 1, 1, 0],
        # Sam and Tom; the welfare request named both Sam and the council: counted once.
        ["County Council", 2, 0, 1, 2],
        ["NHS Commissioning", 1, 0, 0, 0],
        ["Volunteer Centre", 1, 0, 0, 1],
        ["(no organisation)", 1, 1, 0, 1],
    ]


def test_organisations_count_a_request_to_a_person_for_their_organisation() -> None:
    """Person-only targets count for the person's organisation; spellings fold."""
    cards = [
        _card(1, "request", "A", DANA, seq=1, created_at="t", to_participant=SAM),
        _card(2, "request", "B", DANA, seq=2, created_at="t", to_organisation="county  COUNCIL"),
        _card(3, "request", "C", SAM, seq=3, created_at="t", to_participant=TOM),
        _card(4, "request", "D", SAM, seq=4, created_at="t", to_organisation="Nobody Here Ltd"),
    ]
    log = _log([DANA, SAM, TOM], [], cards)

    values = sheet_values(read_xlsx(log_to_xlsx(log))["Organisations"])

    assert values == [
        ORGANISATIONS_HEADER,
        ["Pathways Work Programme", 1, 2, 0, 0],
        ["County Council", 2, 2, 3, 0],
    ]


def test_organisations_sheet_has_no_empty_row_when_everyone_has_an_organisation() -> None:
    log = _log([DANA, SAM], [], [])

    values = sheet_values(read_xlsx(log_to_xlsx(log))["Organisations"])

    assert [row[0] for row in values] == [
        "organisation",
        "Pathways Work Programme",
        "County Council",
    ]


def test_organisations_count_only_what_the_room_saw() -> None:
    """One definition with the report (export.counts_in_the_room): a withdrawn or hidden
    card counts for nobody; an author anonymous to the room counts for no organisation."""
    yes = [_reply("yes", "", SAM, "t")]
    cards = [
        _card(1, "request", "Taken back", DANA, seq=1, created_at="t", to_participant=SAM,
              status="withdrawn"),
        _card(2, "request", "Off topic", DANA, seq=2, created_at="t", to_participant=SAM,
              hidden=True, status="yes", replies=yes, commitment=_commitment(SAM, "done")),
        _card(3, "request", "Unsigned", DANA, seq=3, created_at="t", to_participant=SAM,
              identity="anonymous", status="yes", replies=yes,
              commitment=_commitment(SAM, "not_started")),
        _card(4, "offer", "Anonymous help", PRIYA, seq=4, created_at="t", status="accepted",
              identity="anonymous", commitment=_commitment(PRIYA, "not_started")),
        _card(5, "offer", "Help by organisation", PRIYA, seq=5, created_at="t",
              status="accepted", identity="organisation",
              commitment=_commitment(PRIYA, "not_started")),
    ]
    log = _log([DANA, SAM, PRIYA], [], cards)

    values = sheet_values(read_xlsx(log_to_xlsx(log))["Organisations"])

    assert values == [
        ORGANISATIONS_HEADER,
        ["Pathways Work Programme", 1, 0, 0, 0],
        ["County Council", 1, 0, 1, 1],
        ["NHS Commissioning", 1, 0, 0, 1],
    ]


# --- hostile text -------------------------------------------------------------------

FORMULA_LIKE = [
    "=1+2",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    '=HYPERLINK("http://x","y")',
    "\tTabbed=1+2",
    "\n=1+2",
    # Some apps strip leading whitespace before they parse (issue 12).
    " =leading space, stripped by some apps",
]
HARMLESS = [
    "<script>alert(1)</script>",
    "'; DROP TABLE cards; --",
    "Thanks 🙏🏽 مرحبا بكم שלום",
    'She said "yes",\nthen "no";\n\nthen, "maybe"',
    "a-b+c=d@e",
]


def _expected(text: str, suffix: str = "") -> str:
    """How a cell holding `text` + `suffix` must read back."""
    return ("'" if text in FORMULA_LIKE else "") + text + suffix


def hostile_log(text: str) -> dict[str, Any]:
    """`text` in every free-text field: card text, names, organisations, notes, prompt."""
    asker = _participant(1, text, text, "2026-11-27T09:00:00.000Z")
    asked = _participant(2, text + " (2)", text + " (2)", "2026-11-27T09:00:01.000Z")
    request = _card(
        1,
        "request",
        text,
        asker,
        seq=3,
        created_at="2026-11-27T09:01:00.000Z",
        status="yes",
        to_participant=asked,
        to_organisation=text + " (2)",
        prompt_id=1,
        replies=[_reply("yes", text, asked, "2026-11-27T09:02:00.000Z")],
        commitment=_commitment(asked, "in_progress", text, updated_by=asker),
    )
    return _log([asker, asked], [_prompt(1, text, "request")], [request], title=text)


@pytest.mark.parametrize("text", FORMULA_LIKE + HARMLESS)
def test_csv_neutralises_formulas_in_every_text_cell_and_keeps_other_text(text: str) -> None:
    row = dict(zip(LOG_HEADER, read_csv(log_to_csv(hostile_log(text)))[1], strict=True))

    for column in ("text", "from_name", "from_organisation", "prompt", "answer_note"):
        assert row[column] == _expected(text), column
    for column in ("to_name", "to_organisation", "answered_by", "commitment_owner"):
        assert row[column] == _expected(text, " (2)"), column
    assert row["seq"] == "3"


@pytest.mark.parametrize("text", FORMULA_LIKE + HARMLESS)
def test_xlsx_has_no_formulas_and_neutralises_like_the_csv(text: str) -> None:
    workbook = read_xlsx(log_to_xlsx(hostile_log(text)))

    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert cells and not [cell.coordinate for cell in cells if cell.data_type == "f"]
    log_row = [as_csv_text(value) for value in sheet_values(workbook["Log"])[1]]
    assert log_row == read_csv(log_to_csv(hostile_log(text)))[1]
    commitment = sheet_values(workbook["Commitments"])[1]
    assert commitment == [
        _expected(text, " (2)"),
        _expected(text, " (2)"),
        _expected(text),
        _expected(text),
        _expected(text),
        _expected(text),
        "in_progress",
        _expected(text),
        _expected(text),
    ]
    organisations = [row[0] for row in sheet_values(workbook["Organisations"])[1:]]
    assert organisations == [_expected(text), _expected(text, " (2)")]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r", "\n", " =", "\r\n@"])
def test_csv_neutralises_each_formula_prefix(prefix: str) -> None:
    row = read_csv(log_to_csv(hostile_log(prefix + "cmd|' /C calc'!A0")))[1]

    assert row[LOG_HEADER.index("text")] == "'" + prefix + "cmd|' /C calc'!A0"


def test_numbers_the_export_generates_are_not_prefixed() -> None:
    """Only text is neutralised; seq and reply_to stay plain numbers."""
    offer = _card(2, "offer", "-1", DANA, seq=7, created_at="t", reply_to=1)
    ask = _card(1, "ask", "+1", DANA, seq=6, created_at="t")
    rows = read_csv(log_to_csv(_log([DANA], [], [ask, offer])))

    assert [row[:5] + [row[9]] for row in rows[1:]] == [
        ["6", "t", "ask", "open", "'+1", ""],
        ["7", "t", "offer", "open", "'-1", "1"],
    ]
