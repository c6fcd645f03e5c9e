"""contract audio: page 1 of a contract, spoken

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contract_audio',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('audio', sa.LargeBinary(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_audio_contract_id_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_audio')),
    sa.UniqueConstraint('contract_id', name=op.f('uq_contract_audio_contract_id'))
    )
    op.create_index(op.f('ix_contract_audio_created_at'), 'contract_audio', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_contract_audio_created_at'), table_name='contract_audio')
    op.drop_table('contract_audio')
