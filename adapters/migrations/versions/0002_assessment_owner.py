"""Who made each assessment, and idempotency keys that belong to the client that sent them.

Adds assessments.created_by (the token name or signed-in user; empty for assessments made while the
service was open to all) with an index for the per-client lists, and turns each stored idempotency key
into the digest of the client and the key, the form the service now looks keys up by. Rows made
before this revision belonged to no one, so their keys are scoped to no one and retries still replay.

Revision ID: 0002
Revises: 0001
"""
import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _scoped(client: str | None, key: str) -> str:
    return hashlib.sha256(f"{client or ''}\n{key}".encode()).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("created_by", sa.String(200), nullable=True))
    op.create_index("ix_assessments_created_by", "assessments", ["created_by", "created_at"])
    table = sa.table("assessments", sa.column("id", sa.String), sa.column("idempotency_key", sa.String))
    bind = op.get_bind()
    rows = bind.execute(sa.select(table.c.id, table.c.idempotency_key)
                        .where(table.c.idempotency_key.is_not(None))).all()
    for row_id, key in rows:
        bind.execute(table.update().where(table.c.id == row_id).values(idempotency_key=_scoped(None, key)))


def downgrade() -> None:
    op.drop_index("ix_assessments_created_by", table_name="assessments")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("created_by")
