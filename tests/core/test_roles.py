"""Roles: admins from the configuration grant and revoke moderators; every change is audited."""

from collections.abc import AsyncIterator

import pytest

from bot.audit import AuditLog
from bot.messages import PersonId
from bot.privacy import Pseudonyms
from bot.roles import RoleChange, Roles
from bot.storage.database import Database
from tests.support.core import FakeClock

ADMIN = PersonId("matrix:@admin:example.org")
ANNA = PersonId("telegram:1001")
BEN = PersonId("console:ben")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await database.upgrade()
    yield database
    await database.close()


@pytest.fixture
def roles(database: Database, clock: FakeClock) -> Roles:
    return Roles(database, [ADMIN], clock)


async def test_an_admin_is_a_moderator(roles: Roles) -> None:
    assert await roles.is_moderator(ADMIN)
    assert not await roles.is_moderator(ANNA)


async def test_an_admin_grants_and_revokes_the_moderator_role(roles: Roles) -> None:
    assert await roles.grant(ADMIN, ANNA) is RoleChange.DONE
    assert await roles.is_moderator(ANNA)
    assert await roles.revoke(ADMIN, ANNA) is RoleChange.DONE
    assert not await roles.is_moderator(ANNA)


async def test_a_moderator_cannot_grant_the_role(roles: Roles) -> None:
    await roles.grant(ADMIN, ANNA)
    assert await roles.grant(ANNA, BEN) is RoleChange.NOT_ALLOWED
    assert not await roles.is_moderator(BEN)


async def test_nobody_grants_a_role_to_themselves(roles: Roles) -> None:
    assert await roles.grant(ANNA, ANNA) is RoleChange.NOT_ALLOWED
    assert await roles.grant(ADMIN, ADMIN) is RoleChange.SELF


async def test_every_change_of_role_is_in_the_audit_log(roles: Roles, database: Database, clock: FakeClock) -> None:
    await roles.grant(ADMIN, ANNA)
    await roles.revoke(ADMIN, ANNA)
    records = await AuditLog(database, clock, Pseudonyms(bytes(32))).records()
    assert [(r.actor, r.action, r.subject, r.before, r.after) for r in records] == [
        (ADMIN, "role.revoke", f"person:{ANNA}", "moderator", None),
        (ADMIN, "role.grant", f"person:{ANNA}", None, "moderator"),
    ]
