"""contracts' untranslated fields in a column of their own

The rules read them for every case; reading them out of the rendered document made PostgreSQL
decompress every document.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('contracts', sa.Column(
        'untranslated_fields', postgresql.JSONB(astext_type=sa.Text()), nullable=False,
        server_default=sa.text("'[]'::jsonb"),
    ))
    op.execute(
        "UPDATE contracts SET untranslated_fields = document->'untranslated_fields'"
        " WHERE jsonb_typeof(document->'untranslated_fields') = 'array'"
    )
    op.alter_column('contracts', 'untranslated_fields', server_default=None)


def downgrade() -> None:
    op.drop_column('contracts', 'untranslated_fields')
