"""a partnership meeting's commitments get their register numbers; events by card

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 18:38:15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Meetings of partnerships are newer than this column's first release (0005 made
    # them, 0007 follows in the same one), so no commitment is left to number here.
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commitment_number', sa.Integer(), nullable=True))
    # Later meetings' matter.updated events, found by the card they are about when a
    # name is erased.
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_card', ['card_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_card')
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_column('commitment_number')
