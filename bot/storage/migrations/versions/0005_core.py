"""Component health, chat account leases, and the person behind each dialogue (for /forget)

Revision ID: 0005_core
Revises: 0004_outbox_invite
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0005_core"
down_revision: str | Sequence[str] | None = "0004_outbox_invite"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "component_health",
        sa.Column("instance", sa.String(length=64), nullable=False),
        sa.Column("component", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("since", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("seen_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("instance", "component", name=op.f("pk_component_health")),
    )
    op.create_table(
        "chat_account_leases",
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("account", sa.String(length=255), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("acquired_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "account", name=op.f("pk_chat_account_leases")),
    )
    with op.batch_alter_table("dialogues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_dialogues_person"), ["person"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dialogues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogues_person"))
        batch_op.drop_column("person")
    op.drop_table("chat_account_leases")
    op.drop_table("component_health")
