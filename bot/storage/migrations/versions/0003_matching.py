"""matching: profiles, consents, introductions, rounds

Revision ID: 0003_matching
Revises: 0002
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0003_matching"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> "sa.Column[Any]":
    return sa.Column(name, bot.storage.base.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "matching_profiles",
        sa.Column("person_id", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("org_type", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.Column("challenges", sa.JSON(), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("unmapped", sa.JSON(), nullable=False),
        sa.Column("languages", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        _when("paused_until", nullable=True),
        _when("active_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_matching_profiles")),
    )
    op.create_table(
        "matching_consents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=255), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_consents")),
    )
    with op.batch_alter_table("matching_consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_matching_consents_person_id"), ["person_id"], unique=False)

    op.create_table(
        "matching_introductions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("round_key", sa.String(length=32), nullable=True),
        sa.Column("person_a", sa.String(length=255), nullable=False),
        sa.Column("person_b", sa.String(length=255), nullable=False),
        sa.Column("name_a", sa.String(length=255), nullable=False),
        sa.Column("name_b", sa.String(length=255), nullable=False),
        sa.Column("language_a", sa.String(length=8), nullable=False),
        sa.Column("language_b", sa.String(length=8), nullable=False),
        sa.Column("challenges", sa.JSON(), nullable=False),
        sa.Column("answer_a", sa.String(length=8), nullable=True),
        sa.Column("answer_b", sa.String(length=8), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        _when("created_at"),
        _when("expires_at"),
        _when("decided_at", nullable=True),
        _when("closed_at", nullable=True),
        _when("follow_up_at", nullable=True),
        _when("follow_up_sent_at", nullable=True),
        sa.Column("met_a", sa.String(length=8), nullable=True),
        sa.Column("met_b", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_introductions")),
        sa.UniqueConstraint("key", name=op.f("uq_matching_introductions_key")),
    )
    with op.batch_alter_table("matching_introductions", schema=None) as batch_op:
        for column in ("round_key", "person_a", "person_b", "state", "created_at"):
            batch_op.create_index(batch_op.f(f"ix_matching_introductions_{column}"), [column], unique=False)

    op.create_table(
        "matching_rounds",
        sa.Column("key", sa.String(length=32), nullable=False),
        _when("computed_at"),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("unmatched", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_matching_rounds")),
    )


def downgrade() -> None:
    op.drop_table("matching_rounds")
    with op.batch_alter_table("matching_introductions", schema=None) as batch_op:
        for column in ("created_at", "state", "person_b", "person_a", "round_key"):
            batch_op.drop_index(batch_op.f(f"ix_matching_introductions_{column}"))
    op.drop_table("matching_introductions")
    with op.batch_alter_table("matching_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_matching_consents_person_id"))
    op.drop_table("matching_consents")
    op.drop_table("matching_profiles")
