"""Vectors of the semantic index, by model and text hash

Revision ID: 0005_semantic
Revises: 0004_outbox_invite
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_semantic"
down_revision: str | Sequence[str] | None = "0004_outbox_invite"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "text_vectors",
        sa.Column("model_id", sa.String(length=120), nullable=False),
        sa.Column("text_key", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("model_id", "text_key", name=op.f("pk_text_vectors")),
    )


def downgrade() -> None:
    op.drop_table("text_vectors")
