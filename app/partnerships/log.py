"""The partnership's commands and reads, each in one transaction (as app/rooms/log).

Its two keys are stored only as hashes, and a meeting it opens takes those hashes as its
own staff keys: the backbone key is the facilitator's in every meeting, the member key
the organiser's, with nothing else to check (app/rooms/log/lookup.authorise)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.db import read_session, write_session
from app.partnerships import entries, register, rules
from app.partnerships.models import Partnership
from app.partnerships.views import partnership_view
from app.rooms.keys import hash_secret, matches, new_secret
from app.rooms.log.command import Log
from app.rooms.log.retention import delete_rooms
from app.rooms.log.rooms import open_room
from app.rooms.models import Participant, Room
from app.rooms.rules import Refusal, new_room_code, parse_room_code
from app.rooms.views import JSON

BACKBONE: tuple[str, ...] = ("backbone",)
ANYONE: tuple[str, ...] = ("backbone", "member")


def create(log: Log, title: str, mission: str, members: Sequence[str], timezone: str,
           ref_prefix: str | None) -> tuple[JSON, str, str]:
    """A new partnership; its view and its two keys (shown once)."""
    backbone_key, member_key = new_secret(), new_secret()
    kept = rules.members(members)
    for _attempt in range(10):
        try:
            with write_session(log.engine) as s:
                partnership = Partnership(
                    code=new_room_code(), title=title, mission=mission,
                    members=orjson.dumps(kept).decode(), timezone=timezone,
                    ref_prefix=ref_prefix or rules.default_prefix(title),
                    created_at=log.clock(), backbone_key_hash=hash_secret(backbone_key),
                    member_key_hash=hash_secret(member_key))
                s.add(partnership)
                s.flush()
                return partnership_view(partnership, "backbone", [], {}), backbone_key, member_key
        except IntegrityError:
            continue  # a code already taken: draw another
    raise RuntimeError("could not draw a free partnership code")


def read(log: Log, code: str, token: str | None) -> JSON:
    with read_session(log.engine) as s:
        partnership = find(s, code)
        role = authorise(partnership, token, ANYONE)
        return _view(s, partnership, role)


def read_register(log: Log, code: str, token: str | None, **filters: Any) -> JSON:
    """The register: every commitment of every meeting, oldest meeting first, each in the
    order it became one; the backbone's view or, with the member key, the room's."""
    with read_session(log.engine) as s:
        partnership = find(s, code)
        role = authorise(partnership, token, ANYONE)
        made = entries.of(s, partnership, members=role == "member", today=log.clock().date())
    shown = [e for e in made if register.matches(e, **filters)]
    return {"role": role, "entries": shown, "counts": register.counts(made)}


def change(log: Log, code: str, token: str | None, **changes: Any) -> JSON:
    """Rename it, restate its mission, change its members or its time zone (backbone)."""
    with write_session(log.engine) as s:
        partnership = find(s, code, for_update=True)
        authorise(partnership, token, BACKBONE)
        for name, value in changes.items():
            if value is None:
                continue
            if name == "members":
                value = orjson.dumps(rules.members(value)).decode()
            setattr(partnership, name, value)
        s.add(partnership)
        s.flush()
        return _view(s, partnership, "backbone")


def open_meeting(log: Log, code: str, token: str | None, title: str | None,
                 purpose: str | None, run_by: str) -> JSON:
    """The partnership's next meeting: a room numbered next in the series."""

    def columns(s: Session) -> dict[str, Any]:
        partnership = find(s, code, for_update=True)
        authorise(partnership, token, BACKBONE)
        last = s.exec(select(func.max(Room.series_number))
                      .where(Room.partnership_id == partnership.id)).one()
        number = (last or 0) + 1
        return {"title": title or rules.meeting_title(partnership.title, number),
                "purpose": partnership.mission if purpose is None else purpose,
                "run_by": run_by, "partnership_id": partnership.id, "series_number": number,
                "facilitator_key_hash": partnership.backbone_key_hash,
                "organiser_key_hash": partnership.member_key_hash}
    return open_room(log, columns)


def delete(log: Log, code: str, token: str | None) -> list[str]:
    """Delete the partnership and every meeting of it, now (backbone). The meetings'
    codes, so their streams can be closed."""
    with write_session(log.engine) as s:
        partnership = find(s, code, for_update=True)
        authorise(partnership, token, BACKBONE)
        return _delete(s, partnership)


def expire(log: Log, retention_days: int) -> list[str]:
    """Delete the partnerships whose last meeting (or, with none, whose creation) is more
    than `retention_days` ago; the codes of the meetings that went with them."""
    cutoff = log.clock() - timedelta(days=retention_days)
    last_meeting = (select(Room.partnership_id, func.max(Room.created_at).label("last"))
                    .group_by(col(Room.partnership_id)).subquery())
    with write_session(log.engine) as s:
        stale = s.exec(select(Partnership)
                       .join(last_meeting, last_meeting.c.partnership_id == Partnership.id,
                             isouter=True)
                       .where(func.coalesce(last_meeting.c.last, Partnership.created_at)
                              < cutoff)).all()
        return [room for partnership in stale for room in _delete(s, partnership)]


def find(s: Session, code: str, *, for_update: bool = False) -> Partnership:
    canonical = parse_room_code(code)
    query = select(Partnership).where(Partnership.code == canonical)
    found = s.exec(query.with_for_update() if for_update else query).first()
    if canonical is None or found is None:
        raise Refusal("not_found", "partnership_not_found", "There is no partnership with "
                      "that id.")
    return found


def authorise(partnership: Partnership, token: str | None, roles: tuple[str, ...]) -> str:
    """Who is asking, of this partnership's two keys; a room's keys and tokens are not."""
    if not token:
        raise Refusal("unauthorised", "missing_credentials",
                      "This needs the partnership's key: send 'Authorization: Bearer …'.")
    role = ("backbone" if matches(token, partnership.backbone_key_hash)
            else "member" if matches(token, partnership.member_key_hash) else None)
    if role is None:
        raise Refusal("unauthorised", "bad_credentials",
                      "That key is not valid for this partnership.")
    if role not in roles:
        raise Refusal("forbidden", "wrong_role",
                      "A member's key only reads; this is for the backbone (the secretariat).")
    return role


def _view(s: Session, partnership: Partnership, role: str) -> JSON:
    meetings = s.exec(select(Room).where(Room.partnership_id == partnership.id)
                      .order_by(col(Room.series_number))).all()
    counts = dict(s.exec(select(Participant.room_id, func.count())
                         .where(col(Participant.room_id).in_([m.id for m in meetings]),
                                col(Participant.withdrawn).is_(False))
                         .group_by(col(Participant.room_id))).all())
    return {**partnership_view(partnership, role, meetings, counts),
            "asked": entries.who_asked_whom(s, [m.id or 0 for m in meetings])}


def _delete(s: Session, partnership: Partnership) -> list[str]:
    meetings = s.exec(select(Room).where(Room.partnership_id == partnership.id)).all()
    delete_rooms(s, meetings)
    s.delete(partnership)
    return [room.code for room in meetings]
