"""The tables as the first releases made them: assessments and report_renders.

Databases made before migrations existed (by create_all) already hold these tables; for them this
revision only records that they are at this revision, and every row stays as it is.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "assessments" not in existing:
        op.create_table(
            "assessments",
            sa.Column("id", sa.String(32), primary_key=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("name", sa.String(200), nullable=True),
            sa.Column("profile", sa.JSON, nullable=False),
            sa.Column("result", sa.JSON, nullable=False),
            sa.Column("knowledge_base_version", sa.String(64), nullable=False),
            sa.Column("idempotency_key", sa.String(255), nullable=True, unique=True),
            sa.Column("request_hash", sa.String(64), nullable=True),
        )
        op.create_index("ix_assessments_created_at", "assessments", ["created_at"])
    if "report_renders" not in existing:
        op.create_table(
            "report_renders",
            sa.Column("assessment_id", sa.String(32), nullable=False),
            sa.Column("format", sa.String(8), nullable=False),
            sa.Column("render_key", sa.String(64), nullable=False),
            sa.Column("body", sa.LargeBinary, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("assessment_id", "format", "render_key", name="pk_report_renders"),
        )


def downgrade() -> None:
    op.drop_table("report_renders")
    op.drop_index("ix_assessments_created_at", table_name="assessments")
    op.drop_table("assessments")
