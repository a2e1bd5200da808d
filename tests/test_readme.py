"""The README describes the code as it is: its list of event types is the vocabulary's."""

from __future__ import annotations

import re
from pathlib import Path

from app.rooms import vocab

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _paragraph(starting: str) -> str:
    start = README.index(starting)
    return README[start:README.index("\n\n", start)]


def test_the_readme_names_every_event_type_the_stream_sends_and_no_other() -> None:
    listed = re.findall(r"`([a-z]+\.[a-z]+)`", _paragraph("Event types (`event` in a frame)"))
    assert sorted(set(listed)) == sorted(vocab.EVENT_TYPES)


def test_the_readme_says_which_event_types_only_staff_receive() -> None:
    paragraph = _paragraph("Event types (`event` in a frame)")
    staff_only = paragraph[paragraph.index("for staff only"):]
    assert set(re.findall(r"`([a-z]+\.[a-z]+)`", staff_only)) == set(vocab.PRIVATE_EVENTS)
