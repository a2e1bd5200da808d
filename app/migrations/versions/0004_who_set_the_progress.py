"""who set a commitment's progress, and how the room knows them

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 02:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress_updated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('progress_updated_by_shown',
                                      sqlmodel.sql.sqltypes.AutoString(length=12),
                                      server_default='named', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_column('progress_updated_by_shown')
        batch_op.drop_column('progress_updated_by_id')
