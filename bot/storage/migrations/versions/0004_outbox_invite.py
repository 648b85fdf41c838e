"""Outbox deliveries can open a room with several people; joins the features' branches

Revision ID: 0004_outbox_invite
Revises: 0003_curation, 0003_digest, 0003_matching
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_outbox_invite"
down_revision: str | Sequence[str] | None = ("0003_curation", "0003_digest", "0003_matching")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invite", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("invite")
