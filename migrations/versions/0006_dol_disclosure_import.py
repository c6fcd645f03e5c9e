"""dol disclosure import

Growers without a FEIN (the OFLC disclosure data has none), job orders filed by an H-2A labor
contractor instead of a grower, where an imported record came from, and the contractors'
placements at the growers they supply.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 21:40:08.478698
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('growers', sa.Column('source', sa.String(length=80), nullable=True))
    op.alter_column('growers', 'fein',
               existing_type=sa.VARCHAR(length=10),
               nullable=True)
    op.add_column('intermediaries', sa.Column('source', sa.String(length=80), nullable=True))
    op.add_column('job_orders', sa.Column('filed_by_intermediary_id', sa.Uuid(), nullable=True))
    op.add_column('job_orders', sa.Column('source', sa.String(length=80), nullable=True))
    op.alter_column('job_orders', 'grower_id',
               existing_type=sa.UUID(),
               nullable=True)
    op.create_index(op.f('ix_job_orders_filed_by_intermediary_id'), 'job_orders', ['filed_by_intermediary_id'], unique=False)
    op.create_unique_constraint(op.f('uq_job_orders_source'), 'job_orders', ['source'])
    op.create_foreign_key(op.f('fk_job_orders_filed_by_intermediary_id_intermediaries'), 'job_orders', 'intermediaries', ['filed_by_intermediary_id'], ['id'])
    op.create_check_constraint(op.f('ck_job_orders_one_filer'), 'job_orders', '(grower_id IS NULL) <> (filed_by_intermediary_id IS NULL)')
    op.create_table('contractor_placements',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('intermediary_id', sa.Uuid(), nullable=False),
    sa.Column('grower_id', sa.Uuid(), nullable=False),
    sa.Column('job_order_id', sa.Uuid(), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('workers', sa.Integer(), nullable=True),
    sa.Column('places', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['grower_id'], ['growers.id'], name=op.f('fk_contractor_placements_grower_id_growers')),
    sa.ForeignKeyConstraint(['intermediary_id'], ['intermediaries.id'], name=op.f('fk_contractor_placements_intermediary_id_intermediaries')),
    sa.ForeignKeyConstraint(['job_order_id'], ['job_orders.id'], name=op.f('fk_contractor_placements_job_order_id_job_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contractor_placements')),
    sa.UniqueConstraint('case_number', 'grower_id', name=op.f('uq_contractor_placements_case_number_grower_id'))
    )
    op.create_index(op.f('ix_contractor_placements_created_at'), 'contractor_placements', ['created_at'], unique=False)
    op.create_index(op.f('ix_contractor_placements_grower_id'), 'contractor_placements', ['grower_id'], unique=False)
    op.create_index(op.f('ix_contractor_placements_intermediary_id'), 'contractor_placements', ['intermediary_id'], unique=False)
    op.create_index(op.f('ix_contractor_placements_job_order_id'), 'contractor_placements', ['job_order_id'], unique=False)


def downgrade() -> None:
    # Refused by PostgreSQL (NOT NULL) while growers without a FEIN or job orders filed by a
    # contractor exist: remove or complete them first.
    op.drop_index(op.f('ix_contractor_placements_job_order_id'), table_name='contractor_placements')
    op.drop_index(op.f('ix_contractor_placements_intermediary_id'), table_name='contractor_placements')
    op.drop_index(op.f('ix_contractor_placements_grower_id'), table_name='contractor_placements')
    op.drop_index(op.f('ix_contractor_placements_created_at'), table_name='contractor_placements')
    op.drop_table('contractor_placements')
    op.drop_constraint(op.f('ck_job_orders_one_filer'), 'job_orders', type_='check')
    op.drop_constraint(op.f('fk_job_orders_filed_by_intermediary_id_intermediaries'), 'job_orders', type_='foreignkey')
    op.drop_constraint(op.f('uq_job_orders_source'), 'job_orders', type_='unique')
    op.drop_index(op.f('ix_job_orders_filed_by_intermediary_id'), table_name='job_orders')
    op.alter_column('job_orders', 'grower_id',
               existing_type=sa.UUID(),
               nullable=False)
    op.drop_column('job_orders', 'source')
    op.drop_column('job_orders', 'filed_by_intermediary_id')
    op.drop_column('intermediaries', 'source')
    op.alter_column('growers', 'fein',
               existing_type=sa.VARCHAR(length=10),
               nullable=False)
    op.drop_column('growers', 'source')
