"""What the partnership routes accept and answer (SPEC §10)."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, Field

from app.partnerships.rules import MAX_MEMBERS, PREFIX_RE
from app.rooms.schemas import (
    Author,
    In,
    Organisation,
    Purpose,
    RoomOut,
    RoomState,
    RunBy,
    Title,
)
from app.rooms.vocab import CardKind, Progress

_ZONES = frozenset(available_timezones())


def _known_zone(value: str) -> str:
    if value not in _ZONES:
        raise ValueError("must be an IANA time zone, such as Europe/London")
    return value


def _member(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _prefix(value: str) -> str:
    if not PREFIX_RE.fullmatch(value):
        raise ValueError("must be 2 to 6 capital letters or digits, starting with a letter")
    return value


Mission = Annotated[str, Field(max_length=500)]
Member = Annotated[Organisation, Field(min_length=1), AfterValidator(_member)]
Members = Annotated[list[Member], Field(max_length=MAX_MEMBERS)]
TimeZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_known_zone)]
Prefix = Annotated[str, Field(min_length=2, max_length=6), AfterValidator(_prefix)]
PartnershipRole = Literal["backbone", "member"]
EntryStatus = Literal["open", "overdue", "done", "dropped"]


class PartnershipCreate(In):
    title: Title
    mission: Mission = ""
    members: Members = Field(default_factory=list, description="The member organisations: "
                             "requests may go to any of them, before anyone from it joins.")
    timezone: TimeZone = "Europe/London"
    ref_prefix: Prefix | None = Field(None, description="The first part of each register "
                                      "reference (EPB in EPB-3-07); the title's initials "
                                      "if not given.")


class PartnershipChange(In):
    title: Title | None = None
    mission: Mission | None = None
    members: Members | None = None
    timezone: TimeZone | None = None


class MeetingCreate(In):
    title: Title | None = Field(None, description="The partnership's title and the "
                                "meeting's number if not given.")
    purpose: Purpose | None = Field(None, description="The partnership's mission if not given.")
    run_by: RunBy = ""


class MeetingOut(BaseModel):
    code: str
    number: int
    title: str
    state: RoomState
    created_at: str
    closed_at: str | None
    participant_count: int


class Asked(BaseModel):
    from_: str = Field(alias="from")
    to: str
    requests: int

    model_config = {"populate_by_name": True}


class PartnershipOut(BaseModel):
    id: str
    title: str
    mission: str
    members: list[str]
    timezone: str
    ref_prefix: str
    created_at: str
    role: PartnershipRole = Field(description="Who the key in the request is: the "
                                  "secretariat (backbone) or a member.")
    meetings: list[MeetingOut]
    asked: list[Asked] = Field(default_factory=list, description="Who asked whom across the "
                               "series: requests between organisations, most first, as the "
                               "rooms saw them.")


class PartnershipCreated(PartnershipOut):
    backbone_key: str = Field(description="The secretariat's key: shown once, here.")
    member_key: str = Field(description="The members' read-only key: shown once, here.")
    page_url: str


class MeetingCreated(RoomOut):
    """A new meeting. The partnership's keys are its staff keys, so none is shown: the
    console's link takes the backbone key in its fragment (`#key=`)."""

    join_url: str
    board_url: str
    facilitate_url: str


class RaisedIn(BaseModel):
    code: str
    number: int
    title: str
    date: str


class EntryUpdate(BaseModel):
    progress: Progress
    note: str
    at: str
    by: Author | None
    in_meeting: int | None = Field(description="Reported under matters arising in this "
                                   "later meeting; none: in its own.")
    on_behalf: bool = Field(description="The facilitator recorded it for someone.")


class RegisterEntry(BaseModel):
    ref: str = Field(description="Stable: the partnership's prefix, the meeting's number, "
                     "the item (EPB-3-07).")
    meeting: RaisedIn
    raised_at: str
    kind: CardKind
    what: str
    owner: Author | None
    for_whom: Author | None = Field(description="None: the whole room, or anonymous.")
    due: str | None
    progress: Progress
    note: str
    updated_at: str | None
    status: EntryStatus
    closed_at: str | None
    history: list[EntryUpdate]


class RegisterOut(BaseModel):
    role: PartnershipRole
    entries: list[RegisterEntry]
    counts: dict[EntryStatus, int] = Field(description="Every entry by status, unfiltered.")


class MattersOut(BaseModel):
    matters: list[RegisterEntry] = Field(description="Open and overdue commitments of the "
                                         "earlier meetings, oldest meeting first.")
