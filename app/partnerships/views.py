"""What the partnership routes say: the partnership and its meetings, as JSON dicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.partnerships.models import Partnership
from app.rooms.models import Room
from app.rooms.views import JSON, iso, members


def meeting_view(room: Room, participant_count: int) -> JSON:
    assert room.series_number is not None
    return {"code": room.code, "number": room.series_number, "title": room.title,
            "state": room.state, "created_at": iso(room.created_at),
            "closed_at": iso(room.closed_at), "participant_count": participant_count}


def partnership_view(partnership: Partnership, role: str, meetings: Sequence[Room],
                     counts: Mapping[int, int]) -> JSON:
    """The partnership as its backbone and members read it, meetings in series order."""
    return {
        "id": partnership.code,
        "title": partnership.title,
        "mission": partnership.mission,
        "members": members(partnership),
        "timezone": partnership.timezone,
        "ref_prefix": partnership.ref_prefix,
        "created_at": iso(partnership.created_at),
        "role": role,
        "meetings": [meeting_view(m, counts.get(m.id or 0, 0)) for m in meetings],
    }
