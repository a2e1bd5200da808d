"""The room's words, defined once in app/rooms/vocab.py, and the pages' copy of them."""

from __future__ import annotations

import re
from pathlib import Path

from app.rooms import vocab

VOCAB_JS = Path(__file__).resolve().parents[2] / "app" / "static" / "js" / "vocab.js"


def test_the_vocabulary_names_what_the_spec_names() -> None:
    assert vocab.ROOM_STATES == ("open", "locked", "closed")
    assert vocab.CARD_KINDS == ("request", "ask", "offer")
    assert vocab.ANSWERS == ("yes", "no", "try", "unclear")
    assert vocab.PROGRESS == ("not_started", "in_progress", "done", "dropped")
    assert vocab.COLLECTS == ("request", "ask", "offer", "any", "review")


def test_the_spec_event_types_are_public_and_the_others_staff_only() -> None:
    """SPEC §2's list is the public one; the rest never reach the public stream."""
    spec = {"room.updated", "participant.joined", "participant.left", "prompt.opened",
            "prompt.closed", "timer.started", "timer.stopped", "card.created",
            "card.updated", "runsheet.updated"}
    assert spec <= set(vocab.EVENT_TYPES)
    assert vocab.PRIVATE_EVENTS == {"runsheet.updated", "cards.renamed"}
    assert len(set(vocab.EVENT_TYPES)) == len(vocab.EVENT_TYPES)


def test_the_pages_module_is_written_from_the_vocabulary() -> None:
    """app/static/js/vocab.js is what `python -m app.rooms.vocab` writes, to the byte."""
    assert VOCAB_JS.read_text(encoding="utf-8") == vocab.javascript(), (
        "app/static/js/vocab.js is out of date: run "
        "`python -m app.rooms.vocab > app/static/js/vocab.js`")


JS = VOCAB_JS.parent
# A quoted word.word in a case label or a comparison: what an event type looks like.
EVENT_WORD = re.compile(r'(?:case\s+|===?\s*|!==?\s*)"([a-z]+\.[a-z_]+)"')


def test_the_store_handles_exactly_the_event_types() -> None:
    """RoomStore, which every page gets its events through, has a case for each type."""
    cases = set(re.findall(r'case\s+"([a-z]+\.[a-z_]+)"', (JS / "store.js").read_text()))
    assert cases == set(vocab.EVENT_TYPES)


def test_no_page_names_an_event_type_the_server_does_not_send() -> None:
    """A page's own change that looked like an event ("runsheet.read") would read as one."""
    named = {(path.name, word) for path in JS.glob("*.js") if path.name != "vocab.js"
             for word in EVENT_WORD.findall(path.read_text(encoding="utf-8"))}
    assert named, "the pattern must find the pages' event switches"
    assert {(name, word) for name, word in named if word not in vocab.EVENT_TYPES} == set()
