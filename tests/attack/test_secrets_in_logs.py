"""Keys and tokens never reach the server's log (SPEC §1: shown once, stored as hashes;
§3: the console link carries its key in the fragment "so it stays out of every log").

A server runs at the log level an operator runs it with (`askroom serve` defaults to
info: an access line for every request and every stream; and at debug), and a meeting uses every
secret every way it can travel: Authorization headers (right and wrong role, right and
wrong room), the stream's auth frame (good and bad keys), and the facilitate_url with its
fragment. Then the log must hold none of them, nor any long piece of one.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.attack.conftest import WAIT, open_stream
from tests.meeting import Meeting, bearer
from tests.server import Server

# A log line that quotes a third of a 32-character key has leaked enough to matter.
PIECE = 12


async def _authorise_stream(server: Server, code: str, key: str) -> dict[str, object] | int:
    """Send an auth frame; the private snapshot it earns, or the close code it gets."""
    async with open_stream(server, code, after=0) as stream:
        await stream.ws.send(json.dumps({"type": "auth", "key": key}))
        try:
            while True:
                frame = await stream.next(WAIT)
                if frame["type"] == "snapshot":
                    return frame
        except ConnectionClosed as closed:
            assert closed.rcvd is not None, "closed without a close frame"
            return closed.rcvd.code


# info is what `askroom serve` logs unless told otherwise; debug is one flag away, and what
# an operator turns on to chase a problem in a live meeting.
@pytest.mark.parametrize("level", ["info", "debug"])
async def test_no_key_or_token_appears_in_the_server_log(tmp_path: Path, level: str) -> None:
    log_path = tmp_path / "server.log"
    # The level an operator runs with, its output (uvicorn's access log included) kept.
    server = Server(tmp_path / "askroom.db", log_path=log_path, log_level=level).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            meeting = Meeting.open(http, "Winter pressures", "Get frail people home")
            other = Meeting.open(http, "Another room")
            secrets = {"facilitator key": meeting.facilitator_key,
                       "organiser key": meeting.organiser_key,
                       "other room's facilitator key": other.facilitator_key,
                       "other room's organiser key": other.organiser_key}
            facilitate_url = meeting.created["facilitate_url"]
            assert facilitate_url.endswith(f"#key={meeting.facilitator_key}")

            # The console link, as a browser follows it: the fragment stays behind.
            for url in (facilitate_url, meeting.created["join_url"],
                        meeting.created["board_url"]):
                assert http.get(url).status_code == 200, url

            sam = meeting.join("Sam", "NHS commissioning")
            lee = meeting.join("Lee", "County council")
            outsider = other.join("Kim", "Elsewhere")
            secrets |= {"Sam's token": sam.token, "Lee's token": lee.token,
                        "other room's token": outsider.token}

            meeting.push(library_key="ask-for-help")
            timer = http.post(meeting.url("/timer"), json={"seconds": 60},
                              headers=meeting.facilitator)
            assert timer.status_code == 200, timer.text
            ask = meeting.card(sam, "ask", "Volunteers to take people home at night")
            offer = meeting.card(lee, "offer", "Two volunteers a night", reply_to=ask["id"])
            assert meeting.act(sam, offer["id"], "accept").status_code == 200
            assert meeting.act(lee, offer["id"], "progress",
                               progress="in_progress").status_code == 200
            moderated = http.patch(meeting.url(f"/cards/{ask['id']}"),
                                   json={"spotlight": True}, headers=meeting.facilitator)
            assert moderated.status_code == 200, moderated.text
            for key in (meeting.facilitator_key, meeting.organiser_key):
                for tail in ("/cards", "/events?after=0", "/export.json", "/export.csv",
                             "/export.xlsx"):
                    answer = http.get(meeting.url(tail), headers=bearer(key))
                    assert answer.status_code == 200, (tail, answer.text)

            # Refusals log too: the wrong role, and keys and tokens of another room.
            refused = {
                http.patch(meeting.url(), json={"state": "locked"},
                           headers=meeting.organiser).status_code,
                http.patch(meeting.url(), json={"state": "locked"},
                           headers=bearer(other.facilitator_key)).status_code,
                meeting.post(outsider, "ask", "Not my room").status_code,
                http.get(meeting.url("/export.csv"), headers=sam.auth).status_code,
            }
            assert refused == {401, 403}, refused

            # The stream's auth frame, with good keys, a token and another room's key.
            for key in (meeting.facilitator_key, meeting.organiser_key):
                snapshot = await _authorise_stream(server, meeting.code, key)
                assert isinstance(snapshot, dict), snapshot
            for key in (sam.token, other.facilitator_key):
                assert await _authorise_stream(server, meeting.code, key) == 4401

            assert meeting.set_state("closed").status_code == 200
    finally:
        server.stop()  # SIGTERM: the server flushes its log as it stops

    log = log_path.read_text(encoding="utf-8", errors="replace")
    # The log is really written, request by request, or this test would prove nothing.
    code = meeting.code
    for line in (f'"POST /api/rooms/{code}/cards HTTP/1.1" 201',
                 f'"GET /r/{code}/facilitate HTTP/1.1" 200',
                 f'"GET /api/rooms/{code}/export.csv HTTP/1.1" 403',
                 f'"WebSocket /ws/rooms/{code}?after=0" [accepted]'):
        assert line in log, f"no access line {line!r} in the log:\n{log[-3000:]}"
    assert len(set(secrets.values())) == 7  # four keys, three tokens, all different
    leaks = [f"{name}, in: {line.strip()[:160]}" for name, secret in secrets.items()
             for line in log.splitlines()
             if any(secret[i:i + PIECE] in line for i in range(len(secret) - PIECE + 1))]
    assert not leaks, "secrets in the log:\n" + "\n".join(leaks)

