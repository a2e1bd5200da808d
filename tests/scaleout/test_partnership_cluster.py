"""A partnership on the real scale-out set-up (PostgreSQL + Redis, two processes): its
meetings, a request to a member nobody came from, the register read from the database,
and a matter arising reported through one process reaching both meetings' streams on
the other, in order."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import httpx

from tests.meeting import Meeting, Series
from tests.scaleout.test_cluster import Cluster, events_until, open_stream


async def test_a_series_across_two_processes_on_postgresql(cluster: Cluster) -> None:
    a, b = cluster()
    with httpx.Client(base_url=a.url, timeout=10) as via_a, \
            httpx.Client(base_url=b.url, timeout=10) as via_b:
        series = Series.start(via_a, "East Partnership Board", ("County Council", "NHS Trust"))
        first = series.next_meeting()
        first_b = Meeting(via_b, first.code, first.facilitator_key, first.organiser_key)
        sam = first_b.join("Sam Carter", "Jobcentre")
        card = first_b.card(sam, "request", "Share the discharge list",
                            to_organisation="nhs trust")  # a member, before anyone from it
        assert card["to"]["organisation"] == "NHS Trust"
        alex = first.join("Alex Moss", "NHS Trust")
        assert first.act(alex, card["id"], "reply", answer="yes").status_code == 200
        series_b = Series(via_b, series.id, series.backbone_key, series.member_key)
        second = series_b.next_meeting()  # opened through the other process
        assert second.created["partnership"]["number"] == 2
        kim = second.join("Kim Lee", "nhs trust")
        async with AsyncExitStack() as stack:
            here = await open_stream(stack, a, second.code)
            there = await open_stream(stack, a, first.code)
            start_here = (await here.snapshot())["seq"]
            start_there = (await there.snapshot())["seq"]
            reported = await asyncio.to_thread(
                via_b.post, second.url("/matters/EPB-1-01/progress"),
                json={"progress": "done", "note": "Sent daily now"}, headers=kim.auth)
            assert reported.status_code == 200, reported.text
            (matter,) = [e for e in await events_until(here, start_here + 1)
                         if e["event"] == "matter.updated"]
            assert matter["data"]["matter"]["status"] == "done"
            (changed,) = await events_until(there, start_there + 1)
            assert changed["data"]["card"]["commitment"]["progress"] == "done"
        register = via_a.get(series.url("/register"), headers=series.member).json()
        (entry,) = register["entries"]
        assert (entry["ref"], entry["status"], entry["history"][0]["in_meeting"]) == (
            "EPB-1-01", "done", 2)
        assert via_a.get(second.url("/matters")).json()["matters"] == []
