"""Fuzzing the HTTP API with schemathesis against a real `askroom serve` (SPEC §3, §7).

Every route of the OpenAPI document gets a fixed, derandomised set of generated requests
(valid and invalid), sent over the loopback to a real server process: none may answer 5xx,
and every answer must be documented (status code, content type, headers, body schema).
Half of the requests are aimed at a real room, with its real cards and a real key or
token, so that generation reaches past the 404s and 401s into the rooms' rules.

The cases are generated from the document the app builds (`create_app().openapi()`),
because schemathesis' fixture-based loader (`schemathesis.pytest.from_fixture`) does not
run under pytest 9.2 (it reads `Node._nodeid`, which pytest 9.2 no longer has); the first
test shows that document is exactly the one the running server serves at /openapi.json.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from tests.meeting import Meeting
from tests.server import Server

DOCUMENT = create_app().openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT)

# What SPEC §3 promises of every answer (no 5xx; documented status, type, headers and
# body); `negative_data_rejection` adds §7's "bad input gets a clear 4xx".
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection]

EXAMPLES_PER_ROUTE = 50


@dataclass(frozen=True)
class RealRoom:
    """A room in the fuzzed server, for the hooks to aim generated requests at."""

    code: str
    card_ids: tuple[int, ...]
    credentials: tuple[str, ...]  # facilitator key, organiser key, two participant tokens


# The hooks run while Hypothesis draws a case, inside the test, after the fixtures: the
# fixture puts the test's room here and takes it away afterwards.
_aim: list[RealRoom] = []


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("fuzz") / "askroom.db").start()
    yield running
    running.stop()


@pytest.fixture
def real_room(fuzz_server: Server) -> Iterator[RealRoom]:
    """A fresh room per route, so one route's fuzzing (closing the room, say) cannot
    starve the next of a room to reach into."""
    with httpx.Client(base_url=fuzz_server.url, timeout=10) as http:
        meeting = Meeting.open(http, "Fuzzed room", "Find the cracks")
        sam, lee = meeting.join("Sam", "Work Programme"), meeting.join("Lee", "Council")
        meeting.push(library_key="ask-for-help")
        request = meeting.card(sam, "request", "Mention work", to_participant_id=lee.id)
        answered = meeting.act(lee, request["id"], "reply", answer="yes")
        assert answered.status_code == 200, answered.text
        ask = meeting.card(lee, "ask", "Volunteers for A&E")
        offer = meeting.card(sam, "offer", "I can send two", reply_to=ask["id"])
    room = RealRoom(meeting.code, (request["id"], ask["id"], offer["id"]),
                    (meeting.facilitator_key, meeting.organiser_key, sam.token, lee.token))
    _aim[:] = [room]
    yield room
    _aim.clear()


@schema.hook
def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> Any:
    """Half the time the real room's code, a real card, and a real key or token (or none);
    otherwise whatever schemathesis generated."""
    if not _aim or case.meta is None:
        return st.just(case)
    room = _aim[0]
    return st.tuples(st.booleans(), st.sampled_from(room.card_ids),
                     st.sampled_from((None, "generated", *room.credentials))).map(
        lambda choice: _aimed(case, room, *choice))


def _aimed(case: schemathesis.Case, room: RealRoom, real: bool, card_id: int,
           credential: str | None) -> schemathesis.Case:
    if not real:
        return case
    assert case.meta is not None
    # Only the parts generated to be valid are aimed: aiming an invalid part could make it
    # valid, and a 2xx to a request counted as invalid would look like the API's fault.
    valid = {location for location, info in case.meta.components.items()
             if info.mode.is_positive}
    if ParameterLocation.PATH in valid and case.path_parameters:
        params = dict(case.path_parameters)  # a copy: the drawn dict may be shared
        if "code" in params:
            params["code"] = room.code
        if "card_id" in params:
            params["card_id"] = card_id
        case.path_parameters = params
    header_valid = ParameterLocation.HEADER in valid or ParameterLocation.HEADER not in (
        case.meta.components)
    if header_valid and credential != "generated":
        headers = {name: value for name, value in (case.headers or {}).items()
                   if name.lower() != "authorization"}
        if credential is not None:
            headers["Authorization"] = f"Bearer {credential}"
        case.headers = headers
    return case


def test_the_fuzzed_document_is_the_one_the_server_serves(fuzz_server: Server) -> None:
    served = httpx.get(f"{fuzz_server.url}/openapi.json", timeout=10)
    assert served.status_code == 200
    assert served.json() == DOCUMENT


@schema.parametrize()
@hypothesis.settings(max_examples=EXAMPLES_PER_ROUTE, derandomize=True, database=None,
                     deadline=None, print_blob=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_every_route_answers_as_documented_and_never_5xx(
        case: schemathesis.Case, fuzz_server: Server, real_room: RealRoom) -> None:
    response = case.call_and_validate(base_url=fuzz_server.url, checks=CHECKS, timeout=10)
    # Generated requests go nowhere but this machine's loopback.
    assert response.request.url is not None
    assert response.request.url.startswith(f"{fuzz_server.url}/"), response.request.url


def test_routes_open_to_anyone_with_the_code_document_their_key_as_optional(
        fuzz_server: Server, real_room: RealRoom) -> None:
    """GET cards and events serve the public view without a key (SPEC §3; README
    Decisions), so the document must not make the key required: schemathesis reports
    such a route as accepting a request that violates the schema (ST201, ST401)."""
    wrong = []
    with httpx.Client(base_url=fuzz_server.url, timeout=10) as http:
        for path in ("/api/rooms/{code}/cards", "/api/rooms/{code}/events"):
            anonymous = http.get(path.replace("{code}", real_room.code))
            assert anonymous.status_code == 200, (path, anonymous.text)
            security = DOCUMENT["paths"][path]["get"].get("security", [])
            if security and {} not in security:
                wrong.append(f"GET {path}: answers 200 without a key, documents {security}")
    assert not wrong, "\n".join(wrong)


def test_a_method_a_route_does_not_have_gets_405_with_an_allow_header(
        fuzz_server: Server) -> None:
    """RFC 9110 §15.5.6: a 405 must list the methods the route has (schemathesis ST204)."""
    missing = []
    with httpx.Client(base_url=fuzz_server.url, timeout=10) as http:
        for path, operations in DOCUMENT["paths"].items():
            url = path.replace("{code}", "K7MQ2P").replace("{card_id}", "1")
            response = http.request("TRACE", url)
            assert response.status_code == 405, (path, response.status_code)
            allowed = {m.strip().upper() for m in response.headers.get("allow", "").split(",")}
            documented = {method.upper() for method in operations}
            if not documented <= allowed:
                missing.append(f"TRACE {url} -> 405, Allow: {response.headers.get('allow')!r}"
                               f" (the route has {', '.join(sorted(documented))})")
    assert not missing, "405 answers that do not say what is allowed:\n" + "\n".join(missing)
