"""What the run sheet's routes accept and answer: the facilitator's plan of prompts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.rooms.schemas import Collects, In, PromptPush, PromptText


class StepIn(PromptPush):
    """A run-sheet step: a library prompt (its text and timing unless given) or your own."""


class StepChange(In):
    text: PromptText | None = None
    collects: Collects | None = None
    duration_s: Annotated[int, Field(ge=1, le=24 * 3600)] | None = None
    self_commit: bool | None = None
    identity_choice: bool | None = None


class StepOrder(In):
    order: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(max_length=200)


class StepOut(BaseModel):
    id: int
    position: int
    library_key: str | None
    text: str
    collects: Collects
    duration_s: int | None
    self_commit: bool
    identity_choice: bool


class StepState(StepOut):
    state: Literal["planned", "current", "done"]
    used_s: int = Field(description="Seconds this step's prompt has been open so far.")


class RunSheetOut(BaseModel):
    steps: list[StepState]
    next: int | None = Field(description="The step Next will push.")
    planned_s: int
    used_s: int
