"""partnerships: a series of meetings, and the rooms that are its meetings

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:22:56
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'partnerships',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('mission', sa.Text(), nullable=False),
        sa.Column('members', sa.Text(), nullable=False),
        sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('ref_prefix', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('backbone_key_hash', sqlmodel.sql.sqltypes.AutoString(length=64),
                  nullable=False),
        sa.Column('member_key_hash', sqlmodel.sql.sqltypes.AutoString(length=64),
                  nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnerships_code'), ['code'], unique=True)

    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partnership_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('series_number', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_rooms_partnership_id'), ['partnership_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_rooms_partnership_id', 'partnerships',
                                    ['partnership_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint('uq_rooms_partnership_number',
                                          ['partnership_id', 'series_number'])


def downgrade() -> None:
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_constraint('uq_rooms_partnership_number', type_='unique')
        batch_op.drop_constraint('fk_rooms_partnership_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_rooms_partnership_id'))
        batch_op.drop_column('series_number')
        batch_op.drop_column('partnership_id')

    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnerships_code'))

    op.drop_table('partnerships')
