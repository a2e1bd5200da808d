"""events name their subjects: participant_id, and indexes to find a person's events

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 02:20:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_events_room_card', ['room_id', 'card_id'], unique=False)
        batch_op.create_index('ix_events_room_participant', ['room_id', 'participant_id'],
                              unique=False)
    # The events already stored: whom each participant.* and cards.renamed is about, so
    # that leaving finds them too.
    connection = op.get_bind()
    events = sa.table('events', sa.column('room_id', sa.Integer), sa.column('seq', sa.Integer),
                      sa.column('type', sa.String), sa.column('data', sa.Text),
                      sa.column('participant_id', sa.Integer))
    rows = connection.execute(sa.select(events.c.room_id, events.c.seq, events.c.type,
                                        events.c.data).where(events.c.type.in_(
        ('participant.joined', 'participant.left', 'cards.renamed')))).all()
    for room_id, seq, event_type, data in rows:
        payload = json.loads(data)
        if event_type == 'cards.renamed':
            cards = payload.get('cards') or []
            person = (cards[0].get('author') or {}).get('id') if cards else None
        else:
            person = (payload.get('participant') or {}).get('id')
        if person is not None:
            connection.execute(events.update().where(events.c.room_id == room_id,
                                                     events.c.seq == seq)
                               .values(participant_id=person))


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_room_participant')
        batch_op.drop_index('ix_events_room_card')
        batch_op.drop_column('participant_id')
