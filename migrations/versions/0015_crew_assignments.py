"""crew assignments: a hire's crew and supervisor, dated, as history

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crew_assignments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hire_id', sa.Uuid(), nullable=False),
    sa.Column('crew', sa.String(length=200), nullable=True),
    sa.Column('supervisor', sa.String(length=200), nullable=True),
    sa.Column('from_date', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['hire_id'], ['hires.id'], name=op.f('fk_crew_assignments_hire_id_hires')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crew_assignments'))
    )
    op.create_index(op.f('ix_crew_assignments_created_at'), 'crew_assignments', ['created_at'], unique=False)
    op.create_index(op.f('ix_crew_assignments_hire_id'), 'crew_assignments', ['hire_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_crew_assignments_hire_id'), table_name='crew_assignments')
    op.drop_index(op.f('ix_crew_assignments_created_at'), table_name='crew_assignments')
    op.drop_table('crew_assignments')
