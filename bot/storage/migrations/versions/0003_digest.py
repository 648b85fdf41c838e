"""digest: resources, events, feeds, subscriptions, digests

Revision ID: 0003_digest
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0003_digest"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = bot.storage.base.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "digest_resources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=255), nullable=False),
        sa.Column("added_at", UTC, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("withdrawn_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_resources")),
    )
    with op.batch_alter_table("digest_resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_resources_added_at"), ["added_at"], unique=False)

    op.create_table(
        "digest_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("ends_at", UTC, nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("organiser", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("recurrence", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=255), nullable=False),
        sa.Column("added_at", UTC, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("withdrawn_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_events")),
        sa.UniqueConstraint("uid", name=op.f("uq_digest_events_uid")),
    )
    with op.batch_alter_table("digest_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_events_added_at"), ["added_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_digest_events_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "digest_feeds",
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("first_read_at", UTC, nullable=True),
        sa.Column("polled_at", UTC, nullable=True),
        sa.Column("broken_since", UTC, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_digest_feeds")),
    )
    op.create_table(
        "digest_feed_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("feed_url", sa.String(length=1000), nullable=False),
        sa.Column("entry_id", sa.Text(), nullable=True),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("seen_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_feed_items")),
    )
    with op.batch_alter_table("digest_feed_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_feed_items_feed_url"), ["feed_url"], unique=False)

    op.create_table(
        "digest_subscriptions",
        sa.Column("person_id", sa.String(length=255), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("subscribed_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_digest_subscriptions")),
    )
    op.create_table(
        "digests",
        sa.Column("audience", sa.String(length=300), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("composed_at", UTC, nullable=False),
        sa.Column("covered_until", UTC, nullable=False),
        sa.Column("sent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("audience", "period", name=op.f("pk_digests")),
    )
    with op.batch_alter_table("digests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digests_composed_at"), ["composed_at"], unique=False)

    op.create_table(
        "digest_items",
        sa.Column("audience", sa.String(length=300), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("audience", "period", "kind", "item_id", name=op.f("pk_digest_items")),
    )
    with op.batch_alter_table("digest_items", schema=None) as batch_op:
        batch_op.create_index("ix_digest_items_kind_item_id", ["kind", "item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("digest_items", schema=None) as batch_op:
        batch_op.drop_index("ix_digest_items_kind_item_id")
    op.drop_table("digest_items")
    with op.batch_alter_table("digests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digests_composed_at"))
    op.drop_table("digests")
    op.drop_table("digest_subscriptions")
    with op.batch_alter_table("digest_feed_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_feed_items_feed_url"))
    op.drop_table("digest_feed_items")
    op.drop_table("digest_feeds")
    with op.batch_alter_table("digest_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_events_starts_at"))
        batch_op.drop_index(batch_op.f("ix_digest_events_added_at"))
    op.drop_table("digest_events")
    with op.batch_alter_table("digest_resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_resources_added_at"))
    op.drop_table("digest_resources")
