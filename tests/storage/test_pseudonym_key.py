"""The pseudonymisation key lives outside the database; the database keeps only its fingerprint."""

import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.composition import assemble
from bot.privacy import SECRET_NAME, PseudonymKeyError, Pseudonyms, SecretRow
from bot.storage.database import Database
from tests.support.core import FakeClock, sample_settings


async def stored_secrets(database: Database) -> dict[str, str]:
    async with database.reading() as session:
        return {row.name: row.value for row in await session.scalars(select(SecretRow))}


async def test_the_key_is_generated_into_a_file_readable_by_its_owner_only(database_url: str, tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "pseudonym.key"
    lotse = await assemble(sample_settings(database_url, privacy={"key_file": str(key_file)}), FakeClock())
    try:
        key = key_file.read_text().strip()
        assert len(bytes.fromhex(key)) == 32
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        secrets = await stored_secrets(lotse.database)
        assert key not in "".join(secrets.values()), "the database never holds the key itself"
    finally:
        await lotse.close()


async def test_a_key_kept_in_the_database_by_an_older_release_is_moved_out_once(
    database_url: str, tmp_path: Path
) -> None:
    database = Database(database_url)
    await database.upgrade()
    async with database.transaction() as session:
        session.add(SecretRow(name=SECRET_NAME, value="ab" * 32))
    await database.close()
    key_file = tmp_path / "pseudonym.key"
    lotse = await assemble(sample_settings(database_url, privacy={"key_file": str(key_file)}), FakeClock())
    try:
        assert key_file.read_text().strip() == "ab" * 32
        assert SECRET_NAME not in await stored_secrets(lotse.database)
        assert lotse.pseudonyms.of("telegram:1") == Pseudonyms(bytes.fromhex("ab" * 32)).of("telegram:1")
    finally:
        await lotse.close()


async def test_pseudonyms_stay_the_same_across_restarts(database_url: str, tmp_path: Path) -> None:
    settings = sample_settings(database_url, privacy={"key_file": str(tmp_path / "pseudonym.key")})
    first = await assemble(settings, FakeClock())
    before = first.pseudonyms.of("matrix:@anna:example.org")
    await first.close()
    second = await assemble(settings, FakeClock())
    try:
        assert second.pseudonyms.of("matrix:@anna:example.org") == before
    finally:
        await second.close()


async def test_an_instance_with_another_key_or_none_refuses_to_start(database_url: str, tmp_path: Path) -> None:
    first = await assemble(sample_settings(database_url, privacy={"key_file": str(tmp_path / "a.key")}), FakeClock())
    await first.close()
    with pytest.raises(PseudonymKeyError, match="does not exist"):
        await assemble(sample_settings(database_url, privacy={"key_file": str(tmp_path / "b.key")}), FakeClock())
    with pytest.raises(PseudonymKeyError, match="not the one"):
        await assemble(sample_settings(database_url, privacy={"key": "cd" * 32}), FakeClock())


async def test_the_key_can_come_from_the_environment_instead_of_a_file(database_url: str, tmp_path: Path) -> None:
    lotse = await assemble(sample_settings(database_url, privacy={"key": "cd" * 32,
                                                                  "key_file": str(tmp_path / "unused.key")}),
                           FakeClock())
    await lotse.close()
    assert not (tmp_path / "unused.key").exists()
