"""flags held to their case's grower and worker by one foreign key

The grower and the worker of a flag decide who may read it; three keys held each to some grower,
worker and case, and cost three checks on every flag written. One key on all three holds them to
the case's own, with one check.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_unique_constraint(
        op.f('uq_recruitments_id_grower_id_worker_id'), 'recruitments',
        ['id', 'grower_id', 'worker_id'],
    )
    op.drop_constraint(op.f('fk_flags_grower_id_growers'), 'flags', type_='foreignkey')
    op.drop_constraint(op.f('fk_flags_worker_id_workers'), 'flags', type_='foreignkey')
    op.drop_constraint(op.f('fk_flags_recruitment_id_recruitments'), 'flags', type_='foreignkey')
    op.create_foreign_key(
        op.f('fk_flags_recruitment_id_recruitments'), 'flags', 'recruitments',
        ['recruitment_id', 'grower_id', 'worker_id'], ['id', 'grower_id', 'worker_id'],
    )


def downgrade() -> None:
    op.drop_constraint(op.f('fk_flags_recruitment_id_recruitments'), 'flags', type_='foreignkey')
    op.create_foreign_key(
        op.f('fk_flags_recruitment_id_recruitments'), 'flags', 'recruitments',
        ['recruitment_id'], ['id'],
    )
    op.create_foreign_key(
        op.f('fk_flags_worker_id_workers'), 'flags', 'workers', ['worker_id'], ['id']
    )
    op.create_foreign_key(
        op.f('fk_flags_grower_id_growers'), 'flags', 'growers', ['grower_id'], ['id']
    )
    op.drop_constraint(
        op.f('uq_recruitments_id_grower_id_worker_id'), 'recruitments', type_='unique'
    )
