"""Helpers that play a meeting through the real API, so tests read like the meeting."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx

_client_ids = itertools.count(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Person:
    id: int
    name: str
    organisation: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.token)


@dataclass
class Meeting:
    http: httpx.Client
    code: str
    facilitator_key: str
    organiser_key: str
    created: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, http: httpx.Client, title: str = "Partnership board",
             purpose: str = "") -> Meeting:
        response = http.post("/api/rooms", json={"title": title, "purpose": purpose})
        assert response.status_code == 201, response.text
        body = response.json()
        return cls(http, body["code"], body["facilitator_key"], body["organiser_key"], body)

    @property
    def facilitator(self) -> dict[str, str]:
        return bearer(self.facilitator_key)

    @property
    def organiser(self) -> dict[str, str]:
        return bearer(self.organiser_key)

    def url(self, tail: str = "") -> str:
        return f"/api/rooms/{self.code}{tail}"

    def join(self, name: str, organisation: str = "") -> Person:
        response = self.http.post(self.url("/participants"),
                                  json={"name": name, "organisation": organisation})
        assert response.status_code == 201, response.text
        body = response.json()
        return Person(body["id"], body["name"], body["organisation"], body["token"])

    def push(self, **prompt: Any) -> dict[str, Any]:
        response = self.http.post(self.url("/prompts"), json=prompt, headers=self.facilitator)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def post(self, who: Person, kind: str, text: str, **extra: Any) -> httpx.Response:
        body = {"client_id": f"c{next(_client_ids)}", "kind": kind, "text": text, **extra}
        return self.http.post(self.url("/cards"), json=body, headers=who.auth)

    def card(self, who: Person, kind: str, text: str, **extra: Any) -> dict[str, Any]:
        response = self.post(who, kind, text, **extra)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def act(self, who: Person | None, card_id: int, verb: str, **body: Any) -> httpx.Response:
        headers = who.auth if who else self.facilitator
        return self.http.post(self.url(f"/cards/{card_id}/{verb}"), json=body or None,
                              headers=headers)

    def set_state(self, state: str) -> httpx.Response:
        return self.http.patch(self.url(), json={"state": state}, headers=self.facilitator)


@dataclass
class Series:
    """A partnership, played through the real API: its meetings are Meetings whose
    staff keys are the partnership's."""

    http: httpx.Client
    id: str
    backbone_key: str
    member_key: str
    created: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(cls, http: httpx.Client, title: str = "East Partnership Board",
              members: tuple[str, ...] = ("County Council", "NHS Trust", "Fire Service"),
              **extra: Any) -> Series:
        response = http.post("/api/partnerships",
                             json={"title": title, "members": list(members), **extra})
        assert response.status_code == 201, response.text
        body = response.json()
        return cls(http, body["id"], body["backbone_key"], body["member_key"], body)

    @property
    def backbone(self) -> dict[str, str]:
        return bearer(self.backbone_key)

    @property
    def member(self) -> dict[str, str]:
        return bearer(self.member_key)

    def url(self, tail: str = "") -> str:
        return f"/api/partnerships/{self.id}{tail}"

    def read(self) -> dict[str, Any]:
        response = self.http.get(self.url(), headers=self.backbone)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def next_meeting(self, **body: Any) -> Meeting:
        response = self.http.post(self.url("/rooms"), json=body, headers=self.backbone)
        assert response.status_code == 201, response.text
        room = response.json()
        return Meeting(self.http, room["code"], self.backbone_key, self.member_key, room)
