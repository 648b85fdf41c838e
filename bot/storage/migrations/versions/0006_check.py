"""The Digitalisierungscheck: catalogue versions, checks, their pilots, measures and changes

Revision ID: 0006_check
Revises: 0005_core
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0006_check"
down_revision: str | Sequence[str] | None = "0005_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "check_catalogues",
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("imported_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_check_catalogues")),
    )
    op.create_table(
        "checks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("org_type", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.Column("systems", sa.JSON(), nullable=False),
        sa.Column("catalogue_version", sa.String(length=16), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=True),
        sa.Column("requirements", sa.JSON(), nullable=False),
        sa.Column("manual_order", sa.Boolean(), nullable=False),
        sa.Column("started_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("review_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checks")),
        sa.UniqueConstraint("code", name=op.f("uq_checks_code")),
    )
    with op.batch_alter_table("checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checks_review_at"), ["review_at"], unique=False)
    op.create_table(
        "check_pilots",
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("joined_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["check_id"], ["checks.id"], name=op.f("fk_check_pilots_check_id_checks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("check_id", "person", name=op.f("pk_check_pilots")),
    )
    with op.batch_alter_table("check_pilots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_pilots_person"), ["person"], unique=False)
    op.create_table(
        "check_measures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("catalogue_id", sa.String(length=80), nullable=True),
        sa.Column("dimension", sa.String(length=80), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("effort", sa.Integer(), nullable=False),
        sa.Column("benefit", sa.Integer(), nullable=False),
        sa.Column("fit", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("added_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["check_id"], ["checks.id"], name=op.f("fk_check_measures_check_id_checks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_measures")),
    )
    with op.batch_alter_table("check_measures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_measures_check_id"), ["check_id"], unique=False)
    op.create_table(
        "check_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=True),
        sa.Column("at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("what", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["check_id"], ["checks.id"], name=op.f("fk_check_changes_check_id_checks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_changes")),
    )
    with op.batch_alter_table("check_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_changes_by"), ["by"], unique=False)
        batch_op.create_index(batch_op.f("ix_check_changes_check_id"), ["check_id"], unique=False)


def downgrade() -> None:
    op.drop_table("check_changes")
    op.drop_table("check_measures")
    op.drop_table("check_pilots")
    op.drop_table("checks")
    op.drop_table("check_catalogues")
