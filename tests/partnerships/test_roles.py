"""Who may do what to a partnership (SPEC §10), from one table, against the real server:
every partnership route tried with every kind of caller, and what each refusal tells."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.meeting import Series, bearer

P = "/api/partnerships/{pid}"
ROUTES: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "read": ("GET", P, None),
    "register": ("GET", P + "/register", None),
    "register csv": ("GET", P + "/register.csv", None),
    "register xlsx": ("GET", P + "/register.xlsx", None),
    "register json": ("GET", P + "/register.json", None),
    "change": ("PATCH", P, {"mission": "Changed"}),
    "open meeting": ("POST", P + "/rooms", {}),
    "delete": ("DELETE", P, None),
}
CALLERS = ("nobody", "garbage", "backbone", "member", "another backbone",
           "a meeting's participant", "a plain room's facilitator")
# What each caller gets: a status, and the code for refusals. Anything unlisted: 200/201/204.
REFUSED = {
    "nobody": (401, "missing_credentials"),
    "garbage": (401, "bad_credentials"),
    "another backbone": (401, "bad_credentials"),
    "a meeting's participant": (401, "bad_credentials"),
    "a plain room's facilitator": (401, "bad_credentials"),
}
MEMBER_READS_ONLY = (403, "wrong_role")
ALLOWED = {"read": 200, "register": 200, "register csv": 200, "register xlsx": 200,
           "register json": 200, "change": 200, "open meeting": 201, "delete": 204}


def key_of(caller: str, series: Series, http: httpx.Client) -> str | None:
    if caller == "nobody":
        return None
    if caller == "garbage":
        return "not-a-key"
    if caller == "backbone":
        return series.backbone_key
    if caller == "member":
        return series.member_key
    if caller == "another backbone":
        return Series.start(http, "Another partnership").backbone_key
    if caller == "a meeting's participant":
        return series.next_meeting().join("Pat Visitor", "NHS Trust").token
    room = http.post("/api/rooms", json={"title": "A plain room"}).json()
    return str(room["facilitator_key"])


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES)
def test_each_caller_gets_what_the_role_matrix_says(http: httpx.Client, route: str,
                                                    caller: str) -> None:
    series = Series.start(http, "Matrix partnership 5e1c", mission="Secret mission 77ab")
    key = key_of(caller, series, http)
    method, path, body = ROUTES[route]
    response = http.request(method, path.format(pid=series.id), json=body,
                            headers=bearer(key) if key else None)
    expected = REFUSED.get(caller)
    if caller == "member" and route != "read" and not route.startswith("register"):
        expected = MEMBER_READS_ONLY
    if expected is None:
        assert response.status_code == ALLOWED[route], response.text
        return
    assert (response.status_code, response.json()["code"]) == expected, response.text
    # A refusal tells nothing of the partnership.
    assert "5e1c" not in response.text and "77ab" not in response.text
    assert set(response.json()) == {"detail", "code"}
    after = series.read()
    assert after["mission"] == "Secret mission 77ab"
    assert len(after["meetings"]) == (1 if caller == "a meeting's participant" else 0)


def test_an_unknown_partnership_is_not_found_whoever_asks(http: httpx.Client) -> None:
    series = Series.start(http)
    for key in (None, series.backbone_key, "garbage"):
        response = http.get("/api/partnerships/ZZZZZZ", headers=bearer(key) if key else None)
        assert (response.status_code, response.json()["code"]) == (404,
                                                                   "partnership_not_found")


def test_the_table_covers_every_partnership_route(http: httpx.Client) -> None:
    """A partnership route added without a row in ROUTES fails this test."""
    documented = {(method.upper(), path)
                  for path, operations in http.get("/openapi.json").json()["paths"].items()
                  for method in operations if path.startswith("/api/partnerships/")}
    tabled = {(method, path) for method, path, _ in ROUTES.values()}
    assert documented, "the scan found no partnership route"
    assert documented <= tabled, sorted(documented - tabled)
