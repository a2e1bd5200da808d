"""The transactional shell around the rules.

Every command: lock the room, check who is asking, apply the rule, record each event with
the room's next seq, all in one transaction. It returns the answer and the recorded
events; the caller publishes those after the commit. Methods are synchronous (run them in
a worker thread) and return plain JSON dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
from sqlalchemy import Engine, bindparam, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from app.db import read_session, write_session
from app.rooms import rules, views
from app.rooms.keys import hash_secret, matches, new_secret
from app.rooms.live.message import RecordedEvent
from app.rooms.log.privacy import PrivacyCommands
from app.rooms.log.runsheet import RunSheetCommands, prompt_fields
from app.rooms.models import Card, Event, Participant, Prompt, Reply, Room, RunItem
from app.rooms.rules import Emit, Refusal
from app.rooms.views import JSON
from app.rooms.vocab import STAFF, Role

T = TypeVar("T")


# Statements every command runs, built once: building one costs more than running it.
_ROOM_BY_CODE = select(Room).where(Room.code == bindparam("code"))
_ROOM_TO_WRITE = _ROOM_BY_CODE.with_for_update()
_BY_TOKEN = select(Participant).where(Participant.token_hash == bindparam("token_hash"))
_CURRENT_PROMPT = select(Prompt).where(Prompt.room_id == bindparam("room_id"),
                                       col(Prompt.closed_at).is_(None))
_RETRY_OF = select(Card).where(Card.author_id == bindparam("author_id"),
                               Card.client_id == bindparam("client_id"))
_EVENTS, _ROOMS = Event.__table__, Room.__table__  # type: ignore[attr-defined]
_INSERT_EVENTS = _EVENTS.insert()
_INSERT_CARD = Card.__table__.insert()  # type: ignore[attr-defined]
_SET_SEQ = _ROOMS.update().where(_ROOMS.c.id == bindparam("room_id")).values(
    seq=bindparam("new_seq"))


def _is_card(body: Any) -> bool:
    return isinstance(body, dict) and "kind" in body and "replies" in body


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    role: Role
    participant: Participant | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


@dataclass
class Outcome:
    """What a command answers, and the events it recorded."""

    body: Any
    events: list[RecordedEvent]
    created: bool = False


class RoomService(RunSheetCommands, PrivacyCommands):
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    # --- rooms -------------------------------------------------------------------------

    def create_room(self, title: str, purpose: str, run_by: str = "") -> tuple[JSON, str, str]:
        """A new room with a fresh code; returns its view and the two keys (shown once)."""
        facilitator_key, organiser_key = new_secret(), new_secret()
        for _attempt in range(10):
            try:
                with write_session(self.engine) as s:
                    room = Room(code=rules.new_room_code(), title=title, purpose=purpose,
                                run_by=run_by,
                                created_at=self.clock(),
                                facilitator_key_hash=hash_secret(facilitator_key),
                                organiser_key_hash=hash_secret(organiser_key))
                    s.add(room)
                    s.flush()
                    return self._room_json(s, room), facilitator_key, organiser_key
            except IntegrityError:
                continue  # a code already taken: draw another
        raise RuntimeError("could not draw a free room code")

    def get_room(self, code: str) -> JSON:
        with read_session(self.engine) as s:
            return self._room_json(s, self._room(s, code))

    def change_room(self, code: str, token: str | None, *, state: str | None = None,
                    title: str | None = None, purpose: str | None = None,
                    run_by: str | None = None, answers_held: bool | None = None) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            emits = rules.change_room(room, state=state, title=title, purpose=purpose,
                                      run_by=run_by, answers_held=answers_held,
                                      held=self._held(s, room),
                                      current=self._current(s, room), now=self.clock())
            return (lambda: self._room_json(s, room)), emits
        return self._command(code, token, ("facilitator",), apply)

    def reveal(self, code: str, token: str | None, card_id: int | None) -> Outcome:
        """Show held answers: one request's, or (no card) all of them at once."""
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            requests = [self._card(s, room, card_id)] if card_id else self._held(s, room)
            emits = rules.reveal(room, requests)
            return (lambda: [self._card_json(s, c) for c in requests]), emits
        return self._command(code, token, ("facilitator",), apply)

    # --- people ------------------------------------------------------------------------

    def join(self, code: str, name: str, organisation: str) -> Outcome:
        token = new_secret()

        def apply(s: Session, room: Room, actor: Actor | None) -> tuple[Any, list[Emit]]:
            participant, emits = rules.join(
                room, name=name, organisation=organisation, token_hash=hash_secret(token),
                known_organisations=self._organisations(s, room), now=self.clock())
            s.add(participant)
            return (lambda: {**views.person(participant), "token": token}), emits
        return self._command(code, None, None, apply, created=True)

    def participants(self, code: str) -> list[JSON]:
        with read_session(self.engine) as s:
            room = self._room(s, code)
            return [views.person(p) for p in self._present(s, room)]

    def whoami(self, code: str, token: str | None) -> Actor:
        with read_session(self.engine) as s:
            return self._authorise(s, self._room(s, code), token, None)

    # --- prompts and the timer ---------------------------------------------------------

    def push_prompt(self, code: str, token: str | None, *, library_key: str | None,
                    text: str | None, collects: str | None, duration_s: int | None,
                    self_commit: bool | None, identity_choice: bool = False,
                    run_item_id: int | None = None) -> Outcome:
        given = prompt_fields({"library_key": library_key, "text": text, "collects": collects,
                               "duration_s": duration_s, "self_commit": self_commit},
                              missing_code="prompt_needs_text")

        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            prompt, emits = rules.push_prompt(
                room, current=self._current(s, room), text=given["text"],
                collects=given["collects"], library_key=library_key,
                duration_s=given.get("duration_s"),
                self_commit=bool(given.get("self_commit")), identity_choice=identity_choice,
                run_item_id=run_item_id, now=self.clock())
            s.add(prompt)
            return (lambda: views.prompt_view(prompt)), emits
        return self._command(code, token, ("facilitator",), apply, created=True)

    def close_prompt(self, code: str, token: str | None) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            current = self._current(s, room)
            emits = rules.close_prompt(room, current=current, now=self.clock())
            return (lambda: views.prompt_view(current)), emits
        return self._command(code, token, ("facilitator",), apply)

    def set_timer(self, code: str, token: str | None, seconds: int) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            emits = rules.set_timer(room, seconds, self.clock())
            return (lambda: {"ends_at": views.iso(room.timer_ends_at),
                             "seconds": room.timer_seconds}), emits
        return self._command(code, token, ("facilitator",), apply)

    # --- cards -------------------------------------------------------------------------

    def post_card(self, code: str, token: str | None, *, client_id: str, kind: str, text: str,
                  to_participant_id: int | None, to_organisation: str | None,
                  reply_to: int | None, identity: str = "named") -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            author = actor.participant
            assert author is not None
            existing = s.exec(_RETRY_OF, params={"author_id": author.id,
                                                 "client_id": client_id}).first()
            if existing is not None:  # a retry of a post that already landed
                return (lambda: self._card_json(s, existing)), []
            card, emits = rules.post_card(
                room, author=author, kind=kind, text=text, client_id=client_id,
                current=self._current(s, room),
                to_participant_id=to_participant_id,
                to_participant=self._participant(s, room, to_participant_id),
                to_organisation=to_organisation,
                # Read only for a request to an organisation: an ask need not load the room.
                known_organisations=self._organisations(s, room) if to_organisation else {},
                reply_to_id=reply_to,
                reply_to=self._card(s, room, reply_to, missing_ok=True, seen_by=actor),
                identity=identity, now=self.clock())
            s.add(card)
            return (lambda: self._card_json(s, card)), emits
        outcome = self._command(code, token, ("participant",), apply)
        outcome.created = bool(outcome.events)
        return outcome

    def cards(self, code: str, token: str | None) -> list[JSON]:
        with read_session(self.engine) as s:
            room = self._room(s, code)
            actor = self._authorise(s, room, token, None) if token else None
            return self._cards_json(s, room, private=bool(actor and actor.is_staff))

    def reply(self, code: str, token: str | None, card_id: int, *, answer: str,
              note: str) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            card = self._card(s, room, card_id, seen_by=actor)
            answered_before = s.exec(select(func.count()).select_from(Reply)
                                     .where(Reply.card_id == card.id)).one()
            answer_row, emits = rules.reply(room, card, by=actor.participant,  # type: ignore[arg-type]
                                            answer=answer, note=note, now=self.clock(),
                                            answered_before=answered_before)
            s.add(answer_row)
            return (lambda: self._card_json(s, card)), emits
        return self._command(code, token, ("participant",), apply)

    def accept(self, code: str, token: str | None, card_id: int) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            offer = self._card(s, room, card_id, seen_by=actor)
            answered = self._card(s, room, offer.reply_to, missing_ok=True, seen_by=actor)
            emits = rules.accept(room, offer, answered=answered, by=actor.participant)  # type: ignore[arg-type]
            return (lambda: self._card_json(s, offer)), emits
        return self._command(code, token, ("participant",), apply)

    def withdraw(self, code: str, token: str | None, card_id: int) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            # Its author may withdraw a card of theirs that the facilitator hid.
            card = self._card(s, room, card_id, seen_by=actor, own_ok=True)
            emits = rules.withdraw(room, card, by=actor.participant)  # type: ignore[arg-type]
            return (lambda: self._card_json(s, card)), emits
        return self._command(code, token, ("participant",), apply)

    def report_progress(self, code: str, token: str | None, card_id: int, *, progress: str,
                        note: str) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            card = self._card(s, room, card_id, seen_by=actor)
            answered = self._card(s, room, card.reply_to, missing_ok=True)
            emits = rules.report_progress(
                card, owner_id=rules.commitment_owner_id(card, self._latest_reply(s, card)),
                beneficiary=rules.beneficiary_id(card, answered), answered=answered,
                by=actor.participant,  # type: ignore[arg-type]
                progress=progress, note=note, now=self.clock())
            return (lambda: self._card_json(s, card)), emits
        return self._command(code, token, ("participant",), apply)

    def moderate(self, code: str, token: str | None, card_id: int, *, hidden: bool | None,
                 spotlight: bool | None) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            card = self._card(s, room, card_id)
            spotlit = list(s.exec(select(Card).where(Card.room_id == room.id,
                                                     col(Card.spotlight).is_(True))))
            emits = rules.moderate(room, card, hidden=hidden, spotlight=spotlight,
                                   spotlit=spotlit)
            return (lambda: self._card_json(s, card)), emits
        return self._command(code, token, ("facilitator",), apply)

    # --- the stream and the log --------------------------------------------------------

    def snapshot(self, code: str, *, private: bool) -> JSON:
        """The whole room at one seq, read in one consistent transaction."""
        with read_session(self.engine) as s:
            room = self._room(s, code)
            people = self._people(s, room)
            return {
                "type": "snapshot",
                "seq": room.seq,
                "room": self._room_json(s, room),
                "prompt": views.prompt_view(self._current(s, room)),
                "timer": views.timer_view(room),
                "participants": [views.person(p) for p in people.values() if not p.withdrawn],
                "cards": self._cards_json(s, room, private=private, people=people),
            }

    def events_after(self, code: str, after: int, *, private: bool,
                     limit: int | None = None) -> tuple[list[JSON], int]:
        """Event frames with seq > after, in order, as the viewer may see them now."""
        with read_session(self.engine) as s:
            room = self._room(s, code)
            query = select(Event).where(Event.room_id == room.id, Event.seq > after)
            rows = s.exec(query.order_by(col(Event.seq)).limit(limit)).all()
            # Cards off the board now: every event of theirs is a stub, old ones too.
            hidden = set() if private else set(s.exec(
                select(Card.id).where(Card.room_id == room.id, or_(
                    col(Card.hidden).is_(True), Card.status == "withdrawn"))))
            frames = []
            for row in rows:
                data = orjson.loads(row.data)
                if not private:
                    data = views.public_event_data(row.type, data, hidden_now=row.card_id in hidden)
                frames.append(views.event_frame(row.seq, row.type, views.iso(row.at), data))  # type: ignore[arg-type]
            return frames, room.seq

    def room_seq(self, code: str) -> int:
        with read_session(self.engine) as s:
            return self._room(s, code).seq

    def room_seqs(self, codes: list[str]) -> dict[str, int]:
        """The latest seq of each of these rooms, in one query."""
        with read_session(self.engine) as s:
            rows = s.exec(select(Room.code, Room.seq).where(col(Room.code).in_(codes)))
            return dict(rows.all())

    def export_log(self, code: str, token: str | None) -> JSON:
        """Everything, for the organiser: SPEC §6 export.json."""
        with read_session(self.engine) as s:
            room = self._room(s, code)
            self._authorise(s, room, token, STAFF)
            people = self._people(s, room)
            prompts = s.exec(select(Prompt).where(Prompt.room_id == room.id)
                             .order_by(col(Prompt.id))).all()
            events = s.exec(select(Event).where(Event.room_id == room.id)
                            .order_by(col(Event.seq))).all()
            return {
                "room": self._room_json(s, room, participant_count=len(people)),
                "prompts": [views.prompt_view(p) for p in prompts],
                "participants": [{**views.person(p), "joined_at": views.iso(p.joined_at)}  # type: ignore[dict-item]
                                 for p in people.values()],
                "cards": self._cards_json(s, room, private=True, people=people),
                "events": [{"seq": e.seq, "event": e.type, "at": views.iso(e.at),
                            "data": orjson.loads(e.data)} for e in events],
            }

    def authorise(self, code: str, token: str | None, roles: Iterable[Role]) -> Actor:
        with read_session(self.engine) as s:
            return self._authorise(s, self._room(s, code), token, tuple(roles))

    # --- the shell's machinery ---------------------------------------------------------

    def _command(self, code: str, token: str | None, roles: tuple[Role, ...] | None,
                 apply: Callable[[Session, Room, Any], tuple[Callable[[], Any], list[Emit]]],
                 *, created: bool = False) -> Outcome:
        with write_session(self.engine) as s:
            room = self._room(s, code, for_update=True)
            actor = self._authorise(s, room, token, roles) if roles is not None else None
            answer, emits = apply(s, room, actor)
            self._insert_new_cards(s, room, emits)
            s.flush()  # ids for new rows, before their views are taken
            events = [self._record(s, room, emit) for emit in emits]
            if events:
                self._write_log(s, room)
            body = answer()
        if actor is not None and actor.participant is not None and _is_card(body):
            # A participant sees a card as the room does, but for their own side.
            body = views.public_card(body, viewer=actor.participant.id)
        return Outcome(body=body, events=events, created=created)

    @staticmethod
    def _insert_new_cards(s: Session, room: Room, emits: list[Emit]) -> None:
        """Write the cards this command creates, each with the seq of its first event, by
        a Core INSERT: the unit of work's flush cost three times the insert. They leave
        the session, noted in s.info: a new card has no replies yet, and its people are in
        the session's identity map, so its view needs no reads (see _card_json)."""
        new = [obj for obj in s.new if isinstance(obj, Card)]
        s.info["new_cards"] = {id(card) for card in new}
        if not new:
            return
        for seq, emit in enumerate(emits, room.seq + 1):
            if id(emit.subject) in s.info["new_cards"] and not emit.subject.seq:  # type: ignore[union-attr]
                emit.subject.seq = seq  # type: ignore[union-attr]
        connection = s.connection()
        for card in new:
            s.expunge(card)
            inserted = connection.execute(_INSERT_CARD, card.model_dump(exclude={"id"}))
            card.id = inserted.inserted_primary_key[0]

    @staticmethod
    def _write_log(s: Session, room: Room) -> None:
        """The command's events and the room's new seq, as two Core statements: the unit
        of work's bookkeeping for rows this session never reads back cost more than the
        writes themselves (a third of a card's transaction)."""
        connection = s.connection()
        connection.execute(_INSERT_EVENTS, s.info.pop("event_rows"))
        connection.execute(_SET_SEQ, {"room_id": room.id, "new_seq": room.seq})

    def _record(self, s: Session, room: Room, emit: Emit) -> RecordedEvent:
        set_committed_value(room, "seq", room.seq + 1)  # written by _write_log
        now = self.clock()
        subject = emit.subject
        card_id = participant_id = None
        if emit.type == "cards.renamed":
            # Staff only, so the cards keep their seq: a card's seq is that of the last
            # public event that changed it (SPEC §2: nothing about a staff-only event, its
            # seq included, changes what the public sees). Staff get this event's seq.
            participant_id = subject.id  # type: ignore[union-attr]
            data: JSON = {"cards": [{**self._card_json(s, card), "seq": room.seq}
                              for card in emit.subjects]}
        elif isinstance(subject, Card):
            subject.seq = room.seq
            card_id = subject.id
            data = {"card": self._card_json(s, subject)}
            s.info.setdefault("card_views", {})[subject.id] = data["card"]
        elif isinstance(subject, Participant):
            participant_id = subject.id
            data = {"participant": views.person(subject)}
        elif isinstance(subject, Prompt):
            data = {"prompt": views.prompt_view(subject)}
        elif isinstance(subject, Room):
            data = {"room": self._room_json(s, room)}
        elif emit.type == "runsheet.updated":  # each step with its state and time used
            data = {"runsheet": self._sheet_json(s, room)["steps"]}
        else:  # the timer lives on the room
            data = {"timer": views.timer_view(room)}
        s.info.setdefault("event_rows", []).append({
            "room_id": room.id, "seq": room.seq, "type": emit.type, "at": now,
            "card_id": card_id, "participant_id": participant_id,
            "data": orjson.dumps(data).decode()})
        return RecordedEvent(room=room.code, seq=room.seq, type=emit.type,
                             at=views.iso(now), data=data, card_id=card_id)  # type: ignore[arg-type]

    def _room(self, s: Session, code: str, *, for_update: bool = False) -> Room:
        canonical = rules.parse_room_code(code)
        room = s.exec(_ROOM_TO_WRITE if for_update else _ROOM_BY_CODE,
                      params={"code": canonical}).first()
        if canonical is None or room is None:
            raise Refusal("not_found", "room_not_found", "There is no room with that code.")
        return room

    def _authorise(self, s: Session, room: Room, token: str | None,
                   roles: tuple[Role, ...] | None) -> Actor:
        """Who is asking, checked against this room only; `roles` None means any role."""
        if not token:
            raise Refusal("unauthorised", "missing_credentials",
                          "This needs a key or token: send 'Authorization: Bearer …'.")
        actor: Actor | None = None
        if matches(token, room.facilitator_key_hash):
            actor = Actor("facilitator")
        elif matches(token, room.organiser_key_hash):
            actor = Actor("organiser")
        else:
            participant = s.exec(_BY_TOKEN, params={"token_hash": hash_secret(token)}).first()
            if participant is not None and participant.room_id == room.id:
                actor = Actor("participant", participant)
        if actor is None:
            raise Refusal("unauthorised", "bad_credentials",
                          "That key or token is not valid for this room.")
        if roles is not None and actor.role not in roles:
            article = "An" if actor.role[0] in "aeiou" else "A"
            raise Refusal("forbidden", "wrong_role",
                          f"{article} {actor.role} cannot do this; it is for: {', '.join(roles)}.")
        return actor

    def _held(self, s: Session, room: Room) -> list[Card]:
        """Requests whose answers wait to be revealed."""
        return list(s.exec(select(Card).where(Card.room_id == room.id, Card.kind == "request",
                                              col(Card.answer_revealed).is_(False))
                           .order_by(col(Card.id))))

    def _sheet(self, s: Session, room: Room) -> list[RunItem]:
        return list(s.exec(select(RunItem).where(RunItem.room_id == room.id)
                           .order_by(col(RunItem.position))))

    def _current(self, s: Session, room: Room) -> Prompt | None:
        return s.exec(_CURRENT_PROMPT, params={"room_id": room.id}).first()

    def _participant(self, s: Session, room: Room, pid: int | None) -> Participant | None:
        if pid is None:
            return None
        found = s.get(Participant, pid)
        here = found is not None and found.room_id == room.id and not found.withdrawn
        return found if here else None

    def _card(self, s: Session, room: Room, card_id: int | None, *,
              missing_ok: bool = False, seen_by: Actor | None = None,
              own_ok: bool = False) -> Card:
        """The card with this id in this room. For a participant (`seen_by`), a hidden card
        is no card at all, the same answer as an unknown id (but for its author, if
        `own_ok`): what a command answers or refuses must not tell it is there."""
        card = s.get(Card, card_id) if card_id is not None else None
        me = seen_by.participant if seen_by is not None else None
        if card is not None and card.hidden and me is not None and not (
                own_ok and card.author_id == me.id):
            card = None
        if card is None or card.room_id != room.id:
            if missing_ok:
                return None  # type: ignore[return-value]
            raise Refusal("not_found", "card_not_found", "There is no such card in this room.")
        return card

    def _organisations(self, s: Session, room: Room) -> dict[str, str]:
        """Each organisation's key and the spelling first seen in this room."""
        rows = s.exec(select(Participant.organisation_key, Participant.organisation)
                      .where(Participant.room_id == room.id, Participant.organisation_key != "")
                      .order_by(col(Participant.id)))
        found: dict[str, str] = {}
        for key, spelling in rows:
            found.setdefault(key, spelling)
        return found

    def _present(self, s: Session, room: Room) -> list[Participant]:
        """The people still in the room: those who left are no one's target any more."""
        return [p for p in self._people(s, room).values() if not p.withdrawn]

    def _people(self, s: Session, room: Room) -> dict[int, Participant]:
        rows = s.exec(select(Participant).where(Participant.room_id == room.id)
                      .order_by(col(Participant.id)))
        return {p.id: p for p in rows}  # type: ignore[misc]

    def _latest_reply(self, s: Session, card: Card) -> Reply | None:
        return s.exec(select(Reply).where(Reply.card_id == card.id)
                      .order_by(col(Reply.id).desc())).first()

    def _card_json(self, s: Session, card: Card) -> JSON:
        """The card's whole view. Within one command, the view its event recorded is the
        answer too: built once, not twice."""
        recorded = s.info.get("card_views", {}).get(card.id)
        if recorded is not None and recorded["seq"] == card.seq:
            return recorded  # type: ignore[no-any-return]
        if id(card) in s.info.get("new_cards", ()):
            # Read to be written: the session's identity map has its people, and
            # Session.get looks there before it asks the database.
            people = {pid: s.get(Participant, pid)
                      for pid in (card.author_id, card.to_participant_id) if pid is not None}
            return views.card_view(card, [], people)  # type: ignore[arg-type]
        replies = list(s.exec(select(Reply).where(Reply.card_id == card.id)
                              .order_by(col(Reply.id))))
        ids = {card.author_id, card.to_participant_id, card.progress_updated_by_id,
               *(r.by_id for r in replies)} - {None}
        people = {p.id: p for p in s.exec(select(Participant)
                                         .where(col(Participant.id).in_(ids)))}
        return views.card_view(card, replies, people)  # type: ignore[arg-type]

    def _cards_json(self, s: Session, room: Room, *, private: bool,
                    people: dict[int, Participant] | None = None) -> list[JSON]:
        """Cards oldest first; the public never gets hidden or withdrawn ones."""
        query = select(Card).where(Card.room_id == room.id)
        if not private:
            query = query.where(col(Card.hidden).is_(False), Card.status != "withdrawn")
        cards = s.exec(query.order_by(col(Card.id))).all()
        by_card: dict[int, list[Reply]] = {}
        replies = s.exec(select(Reply).join(Card).where(Card.room_id == room.id)
                         .order_by(col(Reply.id)))
        for r in replies:
            by_card.setdefault(r.card_id, []).append(r)
        people = people if people is not None else self._people(s, room)
        shown = [views.card_view(c, by_card.get(c.id, []), people) for c in cards]  # type: ignore[arg-type]
        return shown if private else [views.public_card(card) for card in shown]

    def _room_json(self, s: Session, room: Room, *, participant_count: int | None = None) -> JSON:
        if participant_count is None:
            participant_count = s.exec(select(func.count()).select_from(Participant).where(
                Participant.room_id == room.id, col(Participant.withdrawn).is_(False))).one()
        return views.room_view(room, current=self._current(s, room),
                               participant_count=participant_count)
