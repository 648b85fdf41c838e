"""kompass: providers, offers, their versions, referrals, funding radar; offers beside answers

Revision ID: 0005_kompass
Revises: 0004_outbox_invite
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0005_kompass"
down_revision: str | Sequence[str] | None = "0004_outbox_invite"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = bot.storage.base.UtcDateTime(timezone=True)


def _bookkeeping() -> list[sa.Column[Any]]:
    return [
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("licence", sa.Text(), nullable=False),
        sa.Column("checked", sa.Date(), nullable=False),
        sa.Column("file_source", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("withdrawn_at", UTC, nullable=True),
        sa.Column("stale_reported_for", sa.Date(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "kompass_providers",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("website", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("contact_person", sa.String(length=255), nullable=False),
        sa.Column("area", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kompass_providers")),
    )
    with op.batch_alter_table("kompass_providers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kompass_providers_contact_person"), ["contact_person"], unique=False)
        batch_op.create_index(batch_op.f("ix_kompass_providers_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "kompass_offers",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("provider_id", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("audiences", sa.JSON(), nullable=False),
        sa.Column("area", sa.JSON(), nullable=False),
        sa.Column("cost", sa.String(length=16), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("eligible", sa.Text(), nullable=False),
        sa.Column("funding_type", sa.String(length=16), nullable=False),
        sa.Column("deadlines", sa.JSON(), nullable=False),
        *_bookkeeping(),
        sa.ForeignKeyConstraint(["provider_id"], ["kompass_providers.id"],
                                name=op.f("fk_kompass_offers_provider_id_kompass_providers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kompass_offers")),
    )
    with op.batch_alter_table("kompass_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kompass_offers_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kompass_offers_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "kompass_versions",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(length=255), nullable=False),
        sa.Column("changed_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("kind", "item_id", "version", name=op.f("pk_kompass_versions")),
    )
    op.create_table(
        "kompass_referrals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member", sa.String(length=255), nullable=False),
        sa.Column("member_name", sa.String(length=255), nullable=False),
        sa.Column("member_language", sa.String(length=8), nullable=False),
        sa.Column("contact", sa.String(length=255), nullable=True),
        sa.Column("contact_language", sa.String(length=8), nullable=False),
        sa.Column("offer_id", sa.String(length=80), nullable=False),
        sa.Column("provider_id", sa.String(length=80), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=True),
        sa.Column("answered_at", UTC, nullable=True),
        sa.Column("done_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kompass_referrals")),
    )
    with op.batch_alter_table("kompass_referrals", schema=None) as batch_op:
        for column in ("contact", "created_at", "member", "offer_id", "state"):
            batch_op.create_index(batch_op.f(f"ix_kompass_referrals_{column}"), [column], unique=False)

    op.create_table(
        "kompass_radar",
        sa.Column("person_id", sa.String(length=255), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("audience", sa.String(length=32), nullable=False),
        sa.Column("region_keys", sa.JSON(), nullable=False),
        sa.Column("place", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("subscribed_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_kompass_radar")),
    )
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offers", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_column("offers")
    op.drop_table("kompass_radar")
    with op.batch_alter_table("kompass_referrals", schema=None) as batch_op:
        for column in ("contact", "created_at", "member", "offer_id", "state"):
            batch_op.drop_index(batch_op.f(f"ix_kompass_referrals_{column}"))
    op.drop_table("kompass_referrals")
    op.drop_table("kompass_versions")
    with op.batch_alter_table("kompass_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kompass_offers_updated_at"))
        batch_op.drop_index(batch_op.f("ix_kompass_offers_provider_id"))
    op.drop_table("kompass_offers")
    with op.batch_alter_table("kompass_providers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kompass_providers_updated_at"))
        batch_op.drop_index(batch_op.f("ix_kompass_providers_contact_person"))
    op.drop_table("kompass_providers")
