"""Outbox leases held by name, "sending" recorded before each send, interrupted and requeued messages

Revision ID: 0007_outbox_lanes
Revises: 0006_check
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0007_outbox_lanes"
down_revision: str | Sequence[str] | None = "0006_check"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_holder", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sending_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("interrupted_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("requeued_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("requeued_at")
        batch_op.drop_column("interrupted_at")
        batch_op.drop_column("sending_at")
        batch_op.drop_column("lease_holder")
