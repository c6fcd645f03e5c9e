"""hires, costs and reimbursements held to their case's grower and worker by one foreign key;
no second index of a worker's cases

As for flags (0017): each of these records copies its case's grower and worker, which decide who
may read it, and three keys held each to some grower, worker and case with three checks on every
record written. One key on all three holds them to the case's own, with one check; a roster
import writes a hire for each of its rows. The index of recruitments on worker_id goes: the unique
one on (worker_id, job_order_id) serves the same lookups, and each case paid for both.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('hires', 'costs', 'reimbursements')


def upgrade() -> None:
    op.drop_index(op.f('ix_recruitments_worker_id'), table_name='recruitments')
    for table in TABLES:
        op.drop_constraint(op.f(f'fk_{table}_grower_id_growers'), table, type_='foreignkey')
        op.drop_constraint(op.f(f'fk_{table}_worker_id_workers'), table, type_='foreignkey')
        op.drop_constraint(
            op.f(f'fk_{table}_recruitment_id_recruitments'), table, type_='foreignkey'
        )
        op.create_foreign_key(
            op.f(f'fk_{table}_recruitment_id_recruitments'), table, 'recruitments',
            ['recruitment_id', 'grower_id', 'worker_id'], ['id', 'grower_id', 'worker_id'],
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_constraint(
            op.f(f'fk_{table}_recruitment_id_recruitments'), table, type_='foreignkey'
        )
        op.create_foreign_key(
            op.f(f'fk_{table}_recruitment_id_recruitments'), table, 'recruitments',
            ['recruitment_id'], ['id'],
        )
        op.create_foreign_key(
            op.f(f'fk_{table}_worker_id_workers'), table, 'workers', ['worker_id'], ['id']
        )
        op.create_foreign_key(
            op.f(f'fk_{table}_grower_id_growers'), table, 'growers', ['grower_id'], ['id']
        )
    op.create_index(
        op.f('ix_recruitments_worker_id'), 'recruitments', ['worker_id'], unique=False
    )
