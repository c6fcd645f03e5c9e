"""corrections keep reimbursements

A cost corrected with `corrects_cost_id` used to leave its reimbursements on the superseded
version, so the correction showed as unpaid while the money had come back. From now on the service
links a correction to the reimbursements of the cost it replaces; this carries the links over for
corrections already on record, along each chain of corrections. Nothing is removed, so the
downgrade leaves the links in place (they are true either way).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One step along the chains: each correction gets the links of the cost it corrects. PostgreSQL
# 13+ has gen_random_uuid() built in.
CARRY_ONE_STEP = sa.text(
    """
    INSERT INTO reimbursed_costs (id, created_at, reimbursement_id, cost_id)
    SELECT gen_random_uuid(), now(), link.reimbursement_id, correction.id
    FROM costs AS correction
    JOIN reimbursed_costs AS link ON link.cost_id = correction.corrects_cost_id
    ON CONFLICT (reimbursement_id, cost_id) DO NOTHING
    """
)


def upgrade() -> None:
    connection = op.get_bind()
    while connection.execute(CARRY_ONE_STEP).rowcount:
        pass


def downgrade() -> None:
    pass
