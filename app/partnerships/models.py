"""The partnership's table. Its meetings are rooms (app/rooms/models.py) that name it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class Partnership(SQLModel, table=True):
    __tablename__ = "partnerships"

    id: int | None = Field(default=None, primary_key=True)
    # Its id in the API and on the page (/p/{code}): drawn like a room's code.
    code: str = Field(max_length=6, unique=True, index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    mission: str = Field(default="", sa_column=Column(Text, nullable=False))
    # The member organisations, in the order given, as a JSON list of their spellings.
    members: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    timezone: str = Field(default="Europe/London", max_length=64)
    # The first part of each register reference (EPB in EPB-3-07).
    ref_prefix: str = Field(max_length=8)
    created_at: datetime
    # The secretariat's key (full rights) and the members' (read only), as hashes.
    backbone_key_hash: str = Field(max_length=64)
    member_key_hash: str = Field(max_length=64)
