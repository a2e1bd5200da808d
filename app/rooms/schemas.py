"""What the API accepts and answers: the validated edge, and the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.rooms.vocab import (
    Answer,
    CardKind,
    CardStatus,
    Collects,
    Identity,
    Progress,
    Role,
    RoomState,
)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


# Text is stored as written: a length limit and, unless blank is allowed, not all white
# space. Each is a real type (an Annotated alias), so a field's type is just its name.
_NOT_BLANK = AfterValidator(_not_blank)
Title = Annotated[str, Field(min_length=1, max_length=120), _NOT_BLANK]
Purpose = Annotated[str, Field(max_length=500)]
RunBy = Annotated[str, Field(max_length=120)]
Name = Annotated[str, Field(min_length=1, max_length=60), _NOT_BLANK]
Organisation = Annotated[str, Field(max_length=80)]
CardText = Annotated[str, Field(min_length=1, max_length=500), _NOT_BLANK]
Note = Annotated[str, Field(max_length=500)]
PromptText = Annotated[str, Field(min_length=1, max_length=280), _NOT_BLANK]
ClientId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$")]
Id = Annotated[int, Field(ge=1, le=2**62)]


class In(BaseModel):
    """Request bodies refuse unknown fields: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class NoFields(In):
    """A command that takes no fields: any field sent is refused, like everywhere else."""


class RoomCreate(In):
    title: Title
    purpose: Purpose = ""
    run_by: RunBy = Field("", description="Who runs the meeting: shown on the join page.")


class RoomChange(In):
    state: RoomState | None = None
    title: Title | None = None
    purpose: Purpose | None = None
    run_by: RunBy | None = None
    answers_held: bool | None = Field(None, description="Hold answers to requests until "
                                      "revealed (the answer round of What I Need From You).")


class Join(In):
    name: Name
    organisation: Organisation = ""


class PromptPush(In):
    library_key: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    text: PromptText | None = None
    collects: Collects | None = None
    duration_s: Annotated[int, Field(ge=1, le=24 * 3600)] | None = None
    self_commit: bool | None = None
    identity_choice: bool = Field(False, description="Let authors choose to be shown by "
                                  "organisation only, or anonymously, to the room.")


class RevealIn(In):
    card_id: Annotated[int, Field(ge=1, le=2**62)] | None = Field(
        None, description="The request whose answer to show; none: every held answer.")


class TimerSet(In):
    seconds: Annotated[int, Field(ge=0, le=24 * 3600)]


class CardPost(In):
    client_id: ClientId
    kind: CardKind
    text: CardText
    to_participant_id: Id | None = None
    to_organisation: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    reply_to: Id | None = None
    identity: Identity = Field("named", description="How the room sees the author, where the "
                               "prompt offers the choice; facilitator and organiser see all.")


class ReplyPost(In):
    answer: Answer
    note: Note = ""


class ProgressPost(In):
    progress: Progress
    note: Note = ""


class CardModerate(In):
    hidden: bool | None = None
    spotlight: bool | None = None


# --- answers -----------------------------------------------------------------------------


class Person(BaseModel):
    id: int
    name: str
    organisation: str


class Author(BaseModel):
    """A card's author as the viewer may see them: no id or name when they chose to be
    shown by organisation only."""

    id: int | None
    name: str | None
    organisation: str


class JoinedParticipant(Person):
    token: str = Field(description="The participant's token: shown once, keep it on the device.")


class Whoami(BaseModel):
    role: Role
    participant: Person | None = Field(description="The participant, for a participant's token.")


class PromptOut(BaseModel):
    id: int
    text: str
    collects: Collects
    library_key: str | None
    duration_s: int | None
    self_commit: bool
    identity_choice: bool
    run_item_id: int | None
    opened_at: str
    closed_at: str | None


class Timer(BaseModel):
    ends_at: str | None
    seconds: int | None


class MeetingOf(BaseModel):
    id: str
    title: str
    number: int
    members: list[str] = Field(description="Requests may go to any of these organisations.")


class RoomOut(BaseModel):
    code: str
    title: str
    purpose: str
    run_by: str
    state: RoomState
    answers_held: bool
    seq: int
    current_prompt: PromptOut | None
    participant_count: int
    timer: Timer | None
    created_at: str
    closed_at: str | None
    partnership: MeetingOf | None = Field(None, description="Its partnership, if a meeting of one.")


class RoomCreated(RoomOut):
    facilitator_key: str = Field(description="Shown once. Everything in this room.")
    organiser_key: str = Field(description="Shown once. Read-only, hidden cards and exports.")
    join_url: str
    board_url: str
    facilitate_url: str = Field(description="The console, authorised by the key in the fragment.")


class Target(BaseModel):
    participant: Person | None
    organisation: str | None


class ReplyOut(BaseModel):
    answer: Answer
    note: str
    by: Person | None
    at: str


class Commitment(BaseModel):
    owner: Author | None
    progress: Progress
    note: str
    updated_at: str | None
    updated_by: Author | None = Field(None, description="Who last set the progress (the owner "
                                      "or the person it is for), shown as the owner is: as "
                                      "the room knows them; null until it is set.")
    updated_by_shown: Identity = Field("named", description="How the room knows who set "
                                       "the progress: their choice on the card they wrote "
                                       "(this one, or the ask it answers).")


class CardOut(BaseModel):
    id: int
    kind: CardKind
    text: str
    status: CardStatus
    identity: Identity
    answer_revealed: bool
    hidden: bool
    spotlight: bool
    author: Author | None
    to: Target | None
    reply_to: int | None
    prompt_id: int | None
    replies: list[ReplyOut]
    commitment: Commitment | None
    created_at: str
    seq: int
    # Only in the author's own view and staff's: a readable client id would name the author.
    client_id: str | None = None


class LibraryStep(BaseModel):
    title: str
    minutes: str


class LibraryEntry(BaseModel):
    key: str
    title: str
    summary: str
    text: str
    collects: Collects
    duration_s: int
    self_commit: bool
    steps: list[LibraryStep]
    guidance: str


class EventOut(BaseModel):
    type: Literal["event"]
    seq: int
    event: str
    at: str
    data: dict[str, object]


class EventPage(BaseModel):
    events: list[EventOut]
    seq: int = Field(description="The room's latest seq.")
    more: bool = Field(description="Later events wait: ask again with after = the last seq.")


class ProgressUpdateOut(BaseModel):
    card_id: int
    progress: Progress
    note: str
    at: str
    by: Person | None
    by_shown: Identity = Field(description="How the room knows who reported it.")
    on_behalf: bool


class Mine(BaseModel):
    participant: Person
    cards: list[CardOut]
