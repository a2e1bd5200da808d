from __future__ import annotations

import httpx

from tests.meeting import Meeting


def test_a_room_can_be_opened_and_joined(http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Smoke")
    sam = meeting.join("Sam", "Work Programme")
    assert http.get(meeting.url()).json()["participant_count"] == 1
    assert sam.organisation == "Work Programme"
