"""Data protection for a partnership (SPEC §10): its meetings are kept while it lives,
and it goes, with every meeting, ASKROOM_PARTNERSHIP_RETENTION_DAYS after its last one."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import httpx

from tests.meeting import Meeting, Series
from tests.rooms.test_data_protection import backdate, backdate_closing, wait_until
from tests.server import Server
from tests.stream import open_stream

RETENTION = {"ASKROOM_RETENTION_DAYS": "1", "ASKROOM_RETENTION_CHECK_S": "0.5",
             "ASKROOM_PARTNERSHIP_RETENTION_DAYS": "10"}


async def test_meetings_live_as_long_as_their_partnership(tmp_path: Path) -> None:
    db_path = tmp_path / "askroom.db"
    server = await asyncio.to_thread(Server(db_path, env=RETENTION).start)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            series = await asyncio.to_thread(Series.start, http, "Old partnership")
            meetings = [await asyncio.to_thread(series.next_meeting) for _ in range(2)]
            fresh = await asyncio.to_thread(Series.start, http, "New partnership")
            plain = await asyncio.to_thread(Meeting.open, http, "A plain room")
            for room in (*meetings, plain):
                assert (await asyncio.to_thread(room.set_state, "closed")).status_code == 200
                await asyncio.to_thread(backdate_closing, db_path, room.code,
                                        timedelta(days=5))
            await asyncio.to_thread(
                wait_until, lambda: http.get(plain.url()).status_code == 404, 5,
                "a plain room closed five days ago is deleted")
            for meeting in meetings:  # past the rooms' retention, but in a partnership
                assert http.get(meeting.url()).status_code == 200

            # Its last meeting opened eleven days ago: the partnership goes, with both.
            async with open_stream(server, meetings[0].code) as watching:
                await watching.snapshot()
                for meeting in meetings:
                    await asyncio.to_thread(backdate, db_path, "rooms", "created_at",
                                            meeting.code, timedelta(days=11))
                await asyncio.to_thread(
                    wait_until, lambda: http.get(series.url(), headers=series.backbone)
                    .status_code == 404, 5, "the partnership is deleted")
                assert await watching.close_code() == 4404
            for meeting in meetings:
                assert http.get(meeting.url()).status_code == 404
            time.sleep(0.7)  # another run of the task
            # A partnership with no meeting yet counts from when it started.
            assert http.get(fresh.url(), headers=fresh.backbone).status_code == 200
            await asyncio.to_thread(backdate, db_path, "partnerships", "created_at",
                                    fresh.id, timedelta(days=11))
            await asyncio.to_thread(
                wait_until, lambda: http.get(fresh.url(), headers=fresh.backbone)
                .status_code == 404, 5, "the partnership without meetings is deleted")
    finally:
        await asyncio.to_thread(server.stop)
