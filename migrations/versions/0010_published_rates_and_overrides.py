"""published rates versioned by load, meal charge maximums, contract overrides

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

The AEWRs seeded by 0003 become the first load of the wage rates (their source and the years
they were published for kept), so that staff loads supersede them like any later version; the
meal charge maximum OFLC published for 2025 seeds its table the same way. A migration data step
rather than a seed at start-up: the schema and its first data arrive together, in one
transaction, on every database, and the service has no start-up write path.
"""

import hashlib
import importlib.util
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Found where the package is installed, as migration 0003 finds it: a wheel keeps the migrations
# elsewhere than beside the package.
AEWR_CSV = (
    Path(importlib.util.find_spec("recruitment").origin).parent / "reference_data" / "aewr.csv"
)
MEAL_CHARGE_2025_SOURCE = (
    "20 CFR 655.173(a); ETA notice 'Labor Certification Process for the Temporary Employment of "
    "Aliens in Agriculture: 2025 Allowable Charges for Agricultural Workers' Meals...', Federal "
    "Register, 24 March 2025: USD 16.28 per day"
)


def upgrade() -> None:
    op.create_table(
        "reference_imports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_until", sa.Date(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "kind IN ('wage_rates', 'meal_charge_maximums')", name=op.f("ck_reference_imports_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_imports")),
    )
    op.create_index(
        op.f("ix_reference_imports_created_at"), "reference_imports", ["created_at"], unique=False
    )
    op.create_index(
        "uq_reference_imports_kind_sha256", "reference_imports", ["kind", "sha256"], unique=True
    )

    seed = uuid.uuid4()
    now = datetime.now(UTC)
    packaged = AEWR_CSV.read_bytes()
    imports = sa.table(
        "reference_imports",
        *(
            sa.column(name)
            for name in (
                "id", "created_at", "kind", "sha256", "file_name", "source", "effective_from",
                "effective_until", "rows", "imported_by",
            )
        ),
    )  # fmt: skip
    bind = op.get_bind()
    seeded_rows = bind.execute(sa.text("SELECT count(*) FROM wage_floor_rates")).scalar_one()
    op.bulk_insert(
        imports,
        [
            {
                "id": seed,
                "created_at": now,
                "kind": "wage_rates",
                "sha256": hashlib.sha256(packaged).hexdigest(),
                "file_name": "recruitment/reference_data/aewr.csv",
                "source": "Federal Register AEWR notices as tabulated by DOL's FLAG wage page "
                "(recruitment/reference_data/SOURCES.md)",
                "effective_from": date(2023, 1, 1),
                "effective_until": date(2025, 12, 31),
                "rows": seeded_rows,
                "imported_by": "migration 0010",
            }
        ],
    )

    op.add_column(
        "wage_floor_rates",
        sa.Column("soc_code", sa.String(length=7), server_default="", nullable=False),
    )
    op.add_column(
        "wage_floor_rates",
        sa.Column("skill_level", sa.String(length=20), server_default="", nullable=False),
    )
    op.add_column("wage_floor_rates", sa.Column("effective_until", sa.Date(), nullable=True))
    op.add_column("wage_floor_rates", sa.Column("import_id", sa.Uuid(), nullable=True))
    op.add_column(
        "wage_floor_rates",
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
    )
    # A rate published for a year is in force until the end of that year, as the lookup read it.
    op.execute(
        sa.text(
            "UPDATE wage_floor_rates SET effective_until = make_date(year, 12, 31), "
            "import_id = :seed"
        ).bindparams(sa.bindparam("seed", seed, type_=sa.Uuid()))
    )
    op.alter_column("wage_floor_rates", "soc_code", server_default=None)
    op.alter_column("wage_floor_rates", "skill_level", server_default=None)
    op.alter_column("wage_floor_rates", "effective_until", nullable=False)
    op.alter_column("wage_floor_rates", "import_id", nullable=False)
    op.create_foreign_key(
        op.f("fk_wage_floor_rates_import_id_reference_imports"),
        "wage_floor_rates",
        "reference_imports",
        ["import_id"],
        ["id"],
    )
    op.create_index(
        op.f("ix_wage_floor_rates_import_id"), "wage_floor_rates", ["import_id"], unique=False
    )
    op.drop_index("uq_wage_floor_rates_state_from", table_name="wage_floor_rates")
    op.create_index(
        "uq_wage_floor_rates_current",
        "wage_floor_rates",
        ["state", "soc_code", "skill_level", "effective_from"],
        unique=True,
        postgresql_where=sa.text("superseded_at IS NULL"),
    )

    op.create_table(
        "meal_charge_maximums",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_until", sa.Date(), nullable=False),
        sa.Column("daily_cents", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["reference_imports.id"],
            name=op.f("fk_meal_charge_maximums_import_id_reference_imports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meal_charge_maximums")),
    )
    op.create_index(
        op.f("ix_meal_charge_maximums_created_at"),
        "meal_charge_maximums",
        ["created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_meal_charge_maximums_import_id"),
        "meal_charge_maximums",
        ["import_id"],
        unique=False,
    )
    op.create_index(
        "uq_meal_charge_maximums_current",
        "meal_charge_maximums",
        ["effective_from"],
        unique=True,
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    # Published 24 March 2025, in force until OFLC publishes the next figure; loaded here up to
    # the end of 2025, after which staff load the new notice (a charge with no figure in force
    # is a finding, MEAL_CHARGE_MAXIMUM_UNKNOWN).
    meal_seed = uuid.uuid4()
    op.bulk_insert(
        imports,
        [
            {
                "id": meal_seed,
                "created_at": now,
                "kind": "meal_charge_maximums",
                "sha256": hashlib.sha256(MEAL_CHARGE_2025_SOURCE.encode()).hexdigest(),
                "file_name": "migration 0010",
                "source": MEAL_CHARGE_2025_SOURCE,
                "effective_from": date(2025, 3, 24),
                "effective_until": date(2025, 12, 31),
                "rows": 1,
                "imported_by": "migration 0010",
            }
        ],
    )
    op.bulk_insert(
        sa.table(
            "meal_charge_maximums",
            *(
                sa.column(name)
                for name in (
                    "id", "created_at", "effective_from", "effective_until", "daily_cents",
                    "source", "import_id",
                )
            ),
        ),
        [
            {
                "id": uuid.uuid4(),
                "created_at": now,
                "effective_from": date(2025, 3, 24),
                "effective_until": date(2025, 12, 31),
                "daily_cents": 1628,
                "source": MEAL_CHARGE_2025_SOURCE,
                "import_id": meal_seed,
            }
        ],
    )  # fmt: skip

    op.add_column(
        "contracts",
        sa.Column("terms_override_reason", sa.String(length=2000), nullable=True),
    )
    op.add_column(
        "contracts",
        sa.Column(
            "terms_findings_overridden",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
        ),
    )


def downgrade() -> None:
    op.drop_column("contracts", "terms_findings_overridden")
    op.drop_column("contracts", "terms_override_reason")
    op.drop_index(
        "uq_meal_charge_maximums_current",
        table_name="meal_charge_maximums",
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    op.drop_index(op.f("ix_meal_charge_maximums_import_id"), table_name="meal_charge_maximums")
    op.drop_index(op.f("ix_meal_charge_maximums_created_at"), table_name="meal_charge_maximums")
    op.drop_table("meal_charge_maximums")
    op.execute(sa.text("DELETE FROM wage_floor_rates WHERE superseded_at IS NOT NULL"))
    op.drop_index(
        "uq_wage_floor_rates_current",
        table_name="wage_floor_rates",
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    op.execute(sa.text("DELETE FROM wage_floor_rates WHERE soc_code <> '' OR skill_level <> ''"))
    op.create_index(
        "uq_wage_floor_rates_state_from",
        "wage_floor_rates",
        ["state", "effective_from"],
        unique=True,
    )
    op.drop_index(op.f("ix_wage_floor_rates_import_id"), table_name="wage_floor_rates")
    op.drop_constraint(
        op.f("fk_wage_floor_rates_import_id_reference_imports"),
        "wage_floor_rates",
        type_="foreignkey",
    )
    for column in ("superseded_at", "import_id", "effective_until", "skill_level", "soc_code"):
        op.drop_column("wage_floor_rates", column)
    op.drop_index("uq_reference_imports_kind_sha256", table_name="reference_imports")
    op.drop_index(op.f("ix_reference_imports_created_at"), table_name="reference_imports")
    op.drop_table("reference_imports")
