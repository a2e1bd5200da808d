"""The room's rules: a pure core with no I/O, one module per subject.

Each command takes the state it needs (table objects the log has loaded, and for a new
card its typed draft) and either refuses with a `Refusal` or changes that state and
returns the events to record, as `Emit`s. The log persists the change and the events in
one transaction; the rules never touch a database, a clock or a socket.
"""

from app.rooms.rules.base import Emit, Refusal, RefusalKind
from app.rooms.rules.cards import (
    MAX_ANSWERS,
    CardDraft,
    accept,
    is_addressed_to,
    moderate,
    post_card,
    reply,
    report_progress,
    shown_as,
    withdraw,
)
from app.rooms.rules.prompts import close_prompt, push_prompt, set_timer
from app.rooms.rules.rooms import (
    CODE_ALPHABET,
    CODE_LENGTH,
    WITHDRAWN_NAME,
    change_room,
    join,
    leave,
    new_room_code,
    parse_room_code,
    reveal,
)
from app.rooms.rules.runsheet import next_step, plan, reorder

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "MAX_ANSWERS", "WITHDRAWN_NAME", "CardDraft", "Emit",
    "Refusal", "RefusalKind", "accept", "change_room", "close_prompt", "is_addressed_to",
    "join", "leave", "moderate", "new_room_code", "next_step", "parse_room_code", "plan",
    "post_card", "push_prompt", "reorder", "reply", "report_progress", "reveal", "set_timer",
    "shown_as", "withdraw",
]
