"""curation: queue groups, queued questions, asker contacts; entries can be reviewed and soft-deleted

Revision ID: 0003_curation
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0003_curation"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reviewed_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True))

    op.create_table(
        "curation_groups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sample", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entry_id", sa.String(length=80), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("noticed_at", bot.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curation_groups")),
    )
    with op.batch_alter_table("curation_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_curation_groups_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_curation_groups_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "curation_questions",
        sa.Column("question_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("queued_at", bot.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["curation_groups.id"], ondelete="CASCADE",
                                name=op.f("fk_curation_questions_group_id_curation_groups")),
        sa.PrimaryKeyConstraint("question_id", name=op.f("pk_curation_questions")),
    )
    with op.batch_alter_table("curation_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_curation_questions_group_id"), ["group_id"], unique=False)

    op.create_table(
        "curation_contacts",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=255), nullable=False),
        sa.Column("chat_id", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["curation_questions.question_id"], ondelete="CASCADE",
                                name=op.f("fk_curation_contacts_question_id_curation_questions")),
        sa.PrimaryKeyConstraint("question_id", name=op.f("pk_curation_contacts")),
    )
    with op.batch_alter_table("curation_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_curation_contacts_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_table("curation_contacts")
    op.drop_table("curation_questions")
    op.drop_table("curation_groups")
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("reviewed_at")
