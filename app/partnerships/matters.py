"""Matters arising (SPEC §10): a meeting of a partnership opens with the open commitments
of its earlier meetings. Anyone may read them (the board shows them, as the rooms saw
them); the owner's organisation, present in this meeting, reports progress on one, or the
facilitator records it on someone's behalf. Each report changes the commitment where it
was made (card.updated there, and its history) and is an event in this meeting's stream
(matter.updated), in one transaction holding both rooms."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from app.db import read_session, write_session
from app.partnerships import entries
from app.partnerships.models import Partnership
from app.rooms.log import lookup
from app.rooms.log.command import Actor, Log, Outcome, Transaction
from app.rooms.log.record import record, write_log
from app.rooms.models import Card, ProgressUpdate, Room
from app.rooms.rules import Emit, Refusal
from app.rooms.rules.base import ensure_present
from app.rooms.views import JSON, organisation_key
from app.rooms.vocab import STAFF

OPEN = ("open", "overdue")
REF_RE = re.compile(r"([A-Z][A-Z0-9]{1,5})-(\d{1,5})-(\d{1,5})")


def open_matters(log: Log, code: str, token: str | None) -> JSON:
    """The open commitments of the earlier meetings: as the rooms saw them, or, for the
    facilitator and organiser, as the secretariat reads them."""
    with read_session(log.engine) as s:
        room = lookup.room(s, code)
        staff = bool(token) and lookup.authorise(s, room, token, None).is_staff
        partnership = lookup.partnership(s, room)
        if partnership is None or room.series_number is None:
            return {"matters": []}
        made = entries.of(s, partnership, members=not staff, today=log.clock().date(),
                          before=room.series_number)
    return {"matters": [e for e in made if e["status"] in OPEN]}


def report(log: Log, code: str, token: str | None, ref: str, *, progress: str,
           note: str) -> Outcome:
    """Progress on a matter arising, from this meeting."""
    with write_session(log.engine) as s:
        here = lookup.room(s, code, for_update=True)
        actor = lookup.authorise(s, here, token, ("facilitator", "participant"))
        partnership = lookup.partnership(s, here)
        if partnership is None or here.series_number is None:
            raise Refusal("conflict", "not_a_meeting",
                          "This room is not a meeting of a partnership: it has no matters "
                          "arising.")
        card, origin = _matter(s, partnership, here, ref)
        seen = entries.of(s, partnership, members=actor.role != "facilitator",
                          today=log.clock().date(), card_id=card.id)
        if not seen:
            raise _not_found()
        if seen[0]["status"] not in OPEN:
            raise Refusal("conflict", "matter_closed",
                          f"{seen[0]['ref']} is {seen[0]['status']}: there is nothing to "
                          "report on it.")
        _may_report(actor, seen[0])
        now = log.clock()
        reporter = actor.participant
        card.progress, card.progress_note, card.progress_updated_at = progress, note, now
        card.progress_updated_by_id = reporter.id if reporter else None
        card.progress_updated_by_shown = "named"
        s.add(card)
        s.add(ProgressUpdate(room_id=origin.id, card_id=card.id, progress=progress, note=note,
                             at=now, by_id=reporter.id if reporter else None,
                             in_room_id=here.id, on_behalf=reporter is None))
        s.flush()
        there_tx = Transaction(s, origin, None, log)
        here_tx = Transaction(s, here, actor, log)
        # The room's view (None for what the room never saw: then no matter.updated), and
        # the answer: that view for a participant, the secretariat's for the facilitator.
        (public,) = entries.of(s, partnership, members=True, today=now.date(),
                               card_id=card.id) or (None,)
        answer = public if reporter is not None else entries.of(
            s, partnership, members=False, today=now.date(), card_id=card.id)[0]
        events = [record(there_tx, Emit("card.updated", card))]
        if public is not None:
            events.append(record(here_tx, Emit("matter.updated", reporter, (card,),
                                               data=public)))
        for tx in (there_tx, here_tx):
            if tx.event_rows:
                write_log(tx)
    return Outcome(body=answer, events=events)


def _not_found() -> Refusal:
    return Refusal("not_found", "matter_not_found",
                   "No open matter of this partnership's earlier meetings has that reference.")


def _matter(s: Session, partnership: Partnership, here: Room, ref: str) -> tuple[Card, Room]:
    """The card a reference names, and its meeting (locked): one of this partnership's
    meetings before this one."""
    found = REF_RE.fullmatch(ref.strip().upper())
    if found is None or found.group(1) != partnership.ref_prefix:
        raise _not_found()
    number, item = int(found.group(2)), int(found.group(3))
    if number >= (here.series_number or 0):
        raise _not_found()
    origin = s.exec(select(Room).where(Room.partnership_id == partnership.id,
                                       Room.series_number == number).with_for_update()).first()
    card = s.exec(select(Card).where(Card.room_id == (origin.id if origin else -1),
                                     col(Card.commitment_number) == item)).first()
    if origin is None or card is None:
        raise _not_found()
    return card, origin


def _may_report(actor: Actor, entry: JSON) -> None:
    """The facilitator may, for anyone; a participant present from the owner's
    organisation may (the owner among them)."""
    if actor.role in STAFF:
        return
    assert actor.participant is not None
    ensure_present(actor.participant)
    theirs = organisation_key((entry["owner"] or {}).get("organisation") or "")
    if not theirs or organisation_key(actor.participant.organisation) != theirs:
        raise Refusal("forbidden", "not_your_matter",
                      "Only someone from the owner's organisation can report on this; the "
                      "facilitator can record it for them.")
