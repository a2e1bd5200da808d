"""every progress update kept, not only the latest

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:31:12
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'progress_updates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('card_id', sa.Integer(), nullable=False),
        sa.Column('progress', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('by_shown', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column('in_room_id', sa.Integer(), nullable=True),
        sa.Column('on_behalf', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(['by_id'], ['participants.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['card_id'], ['cards.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_updates_card_id'), ['card_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_progress_updates_room_id'), ['room_id'],
                              unique=False)
    # What was kept before: each card's latest update becomes the first of its history.
    op.execute(
        "INSERT INTO progress_updates (room_id, card_id, progress, note, at, by_id, by_shown) "
        "SELECT room_id, id, progress, progress_note, progress_updated_at, "
        "progress_updated_by_id, progress_updated_by_shown FROM cards "
        "WHERE progress_updated_at IS NOT NULL ORDER BY progress_updated_at, id")


def downgrade() -> None:
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_updates_room_id'))
        batch_op.drop_index(batch_op.f('ix_progress_updates_card_id'))
    op.drop_table('progress_updates')
