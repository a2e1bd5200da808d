"""The tables. Times are aware UTC datetimes (SQLModel stores them as UTC)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Its table must be known wherever a room's foreign key to it is.
from app.partnerships.models import Partnership  # noqa: F401


class Room(SQLModel, table=True):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("partnership_id", "series_number",
                                       name="uq_rooms_partnership_number"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=6, unique=True, index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    purpose: str = Field(default="", sa_column=Column(Text, nullable=False))
    state: str = Field(default="open", max_length=8)
    seq: int = 0
    created_at: datetime
    closed_at: datetime | None = None
    facilitator_key_hash: str = Field(max_length=64)
    organiser_key_hash: str = Field(max_length=64)
    timer_ends_at: datetime | None = None
    timer_seconds: int | None = None
    # Who runs the meeting, shown on the join page (data protection: who holds the names).
    run_by: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # While held, answers to requests stay private until the facilitator reveals them.
    answers_held: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # A meeting of a partnership (SPEC §10): which one, and its number in the series.
    partnership_id: int | None = Field(default=None, foreign_key="partnerships.id",
                                       index=True, ondelete="CASCADE")
    series_number: int | None = None


class Participant(SQLModel, table=True):
    __tablename__ = "participants"

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id", index=True, ondelete="CASCADE")
    name: str = Field(sa_column=Column(Text, nullable=False))
    # The first spelling seen in the room; organisation_key groups other spellings with it.
    organisation: str = Field(default="", sa_column=Column(Text, nullable=False))
    organisation_key: str = Field(default="", sa_column=Column(Text, nullable=False))
    token_hash: str = Field(max_length=64, unique=True, index=True)
    joined_at: datetime
    # A participant who withdrew from the room: their name is gone from everything.
    withdrawn: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class Prompt(SQLModel, table=True):
    __tablename__ = "prompts"

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id", index=True, ondelete="CASCADE")
    text: str = Field(sa_column=Column(Text, nullable=False))
    collects: str = Field(max_length=8)
    library_key: str | None = Field(default=None, max_length=64)
    duration_s: int | None = None
    self_commit: bool = False
    # Authors may choose to be shown by organisation only, or not at all, to the room.
    identity_choice: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    run_item_id: int | None = None
    opened_at: datetime
    closed_at: datetime | None = None


class Card(SQLModel, table=True):
    __tablename__ = "cards"
    __table_args__ = (UniqueConstraint("author_id", "client_id", name="uq_cards_author_client"),)

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=8)
    text: str = Field(sa_column=Column(Text, nullable=False))
    author_id: int = Field(foreign_key="participants.id", ondelete="CASCADE")
    client_id: str = Field(max_length=100)
    prompt_id: int | None = None
    to_participant_id: int | None = None
    to_organisation: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    to_organisation_key: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reply_to: int | None = None
    status: str = Field(default="open", max_length=10)
    # Offers posted under a self_commit prompt are commitments of their author from the start.
    self_commit: bool = False
    hidden: bool = False
    spotlight: bool = False
    created_at: datetime
    seq: int = 0
    # How the room sees the author: named, organisation (only), or anonymous.
    identity: str = Field(default="named", max_length=12,
                          sa_column_kwargs={"server_default": "named"})
    # False while a held answer waits to be revealed.
    answer_revealed: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    progress: str = Field(default="not_started", max_length=12)
    progress_note: str = Field(default="", sa_column=Column(Text, nullable=False))
    progress_updated_at: datetime | None = None
    # Who last set the progress (the owner, or the person it is for), and how the room knows
    # them: as they chose on the card they wrote (this one, or the ask it answers).
    progress_updated_by_id: int | None = None
    progress_updated_by_shown: str = Field(default="named", max_length=12,
                                           sa_column_kwargs={"server_default": "named"})
    # In a meeting of a partnership, the commitment's item in its register reference
    # (7 in EPB-3-07): given once, when the card first becomes a commitment, never reused.
    commitment_number: int | None = None


class Reply(SQLModel, table=True):
    __tablename__ = "replies"

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="cards.id", index=True, ondelete="CASCADE")
    by_id: int = Field(foreign_key="participants.id", ondelete="CASCADE")
    answer: str = Field(max_length=8)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    at: datetime


class Event(SQLModel, table=True):
    __tablename__ = "events"
    # Leaving rewrites only the events that name the person, found by these, not a scan
    # of the room's whole log (log/erasure.py).
    __table_args__ = (Index("ix_events_room_card", "room_id", "card_id"),
                      Index("ix_events_room_participant", "room_id", "participant_id"),
                      # matter.updated in later meetings, about a card (log/erasure.py).
                      Index("ix_events_card", "card_id"))

    room_id: int = Field(foreign_key="rooms.id", primary_key=True, ondelete="CASCADE")
    seq: int = Field(primary_key=True)
    type: str = Field(max_length=32)
    at: datetime
    card_id: int | None = None
    # The participant a participant.* event is about; for cards.renamed, the one who left.
    participant_id: int | None = None
    # The private (facilitator's) payload, as JSON; the public one is derived when sent.
    data: str = Field(sa_column=Column(Text, nullable=False))


class RunItem(SQLModel, table=True):
    """One step of the facilitator's run sheet: a prompt planned before the meeting."""

    __tablename__ = "run_items"

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id", index=True, ondelete="CASCADE")
    position: int
    library_key: str | None = Field(default=None, max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
    collects: str = Field(max_length=8)
    duration_s: int | None = None
    self_commit: bool = False
    identity_choice: bool = False


class ProgressUpdate(SQLModel, table=True):
    """One report of progress on a commitment, kept (the card holds only the latest)."""

    __tablename__ = "progress_updates"

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id", index=True, ondelete="CASCADE")
    card_id: int = Field(foreign_key="cards.id", index=True, ondelete="CASCADE")
    progress: str = Field(max_length=12)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    at: datetime
    # Who reported it, and how the room knows them (as on the card: progress_updated_by_*).
    by_id: int | None = Field(default=None, foreign_key="participants.id", ondelete="CASCADE")
    by_shown: str = Field(default="named", max_length=12)
    # Reported under matters arising in a later meeting (that room), and whether the
    # facilitator recorded it on someone's behalf.
    in_room_id: int | None = None
    on_behalf: bool = False
