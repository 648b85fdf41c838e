"""`lotse doctor`: one ✔/✘ line per check with what to do, exit status 1 on any ✘."""

from __future__ import annotations

import socket
from pathlib import Path

from pydantic import SecretStr

from adapters.matrix.check import check as matrix_check
from adapters.telegram.check import check as telegram_check
from bot.composition import encoder_check, platform_checks
from bot.config import KnowledgeSettings, MatrixSettings
from bot.doctor import examine
from bot.storage.database import Database
from tests.support.core import settings_of
from tests.support.synapse import SynapseServer
from tests.support.telegram_api import MemoryState, running_api, settings_for
from tests.test_cli import lotse


def write_config(folder: Path, text: str = "") -> None:
    (folder / "lotse.toml").write_text(f'[database]\nurl = "sqlite+aiosqlite:///{folder / "lotse.db"}"\n{text}',
                                       encoding="utf-8")


def test_a_healthy_setup_is_all_ticks(tmp_path: Path) -> None:
    write_config(tmp_path)
    assert lotse("db", "upgrade", cwd=tmp_path).returncode == 0
    result = lotse("doctor", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    names = [line.split(":")[0] for line in result.stdout.splitlines()]
    assert names == ["✔ configuration", "✔ database", "✔ migrations", "✔ encoder", "✔ clock", "✔ web"]
    assert "lexical only" in result.stdout


def test_pending_migrations_are_a_cross_with_the_command_to_run(tmp_path: Path) -> None:
    write_config(tmp_path)
    result = lotse("doctor", cwd=tmp_path)
    assert result.returncode == 1
    assert "✘ migrations: pending" in result.stdout and "run `lotse db upgrade`" in result.stdout


def test_a_bad_configuration_is_a_cross_per_problem(tmp_path: Path) -> None:
    write_config(tmp_path, "[web]\nport = 99999\npublic_url = \"ftp://x\"\n")
    result = lotse("doctor", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["✘ configuration", "✘ configuration"]
    assert "web.port" in lines[0] + lines[1] and "web.public_url" in lines[0] + lines[1]


def test_an_unreachable_database_is_a_cross(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    (tmp_path / "lotse.toml").write_text(
        f'[database]\nurl = "postgresql+asyncpg://postgres@127.0.0.1:{port}/none"\n', encoding="utf-8")
    result = lotse("doctor", cwd=tmp_path)
    assert result.returncode == 1
    assert "✘ database: cannot reach postgresql+asyncpg://***@127.0.0.1" in result.stdout


def test_a_taken_web_port_is_a_cross(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        write_config(tmp_path, f"[web]\nenabled = true\nport = {taken.getsockname()[1]}\n")
        assert lotse("db", "upgrade", cwd=tmp_path).returncode == 0
        result = lotse("doctor", cwd=tmp_path)
    assert result.returncode == 1
    assert "✘ web: cannot listen on 127.0.0.1" in result.stdout


async def test_telegram_accepts_the_token_through_get_me() -> None:
    async with running_api() as api:
        finding = await telegram_check(settings_for(api))
    assert finding.ok and finding.detail.startswith("token accepted for @")


async def test_a_rejected_telegram_token_says_where_to_get_a_new_one() -> None:
    async with running_api() as api:
        finding = await telegram_check(settings_for(api, token=SecretStr("1:wrong")))
    assert not finding.ok and "@BotFather" in str(finding)


async def test_doctor_asks_each_enabled_platform(tmp_path: Path) -> None:
    async with running_api() as api:
        settings = settings_of(database={"url": f"sqlite+aiosqlite:///{tmp_path / 'lotse.db'}"},
                               telegram=settings_for(api))
        database = Database(settings.database.url)
        try:
            await database.upgrade()
            findings = await examine(settings, "test", platform_checks(settings, database), database,
                                     encoder_check(settings.knowledge))
        finally:
            await database.close()
    assert [finding.name for finding in findings] == ["configuration", "database", "migrations", "telegram",
                                                      "encoder", "clock", "web"]
    assert all(finding.ok for finding in findings), findings


async def test_matrix_accepts_the_token_through_whoami(synapse: SynapseServer, tmp_path: Path) -> None:
    user = await synapse.register("doctor")
    settings = MatrixSettings(enabled=True, homeserver=synapse.url, user_id=user.user_id,
                              access_token=SecretStr(user.access_token), store_dir=tmp_path)
    finding = await matrix_check(settings, MemoryState())
    assert finding.ok and user.user_id in finding.detail


async def test_a_revoked_matrix_token_is_a_cross(synapse: SynapseServer, tmp_path: Path) -> None:
    user = await synapse.register("doctor")
    settings = MatrixSettings(enabled=True, homeserver=synapse.url, user_id=user.user_id,
                              access_token=SecretStr("syt_revoked"), store_dir=tmp_path)
    finding = await matrix_check(settings, MemoryState())
    assert not finding.ok and "rejected" in finding.detail


async def test_matrix_with_only_a_password_checks_the_homeserver_without_logging_in(synapse: SynapseServer,
                                                                                    tmp_path: Path) -> None:
    user = await synapse.register("doctor")
    settings = MatrixSettings(enabled=True, homeserver=synapse.url, user_id=user.user_id,
                              password=SecretStr(user.password), store_dir=tmp_path)
    finding = await matrix_check(settings, MemoryState())
    assert finding.ok and "logs in with the password" in finding.detail


async def test_the_bundled_encoder_is_named_with_its_dimensions() -> None:
    finding = await encoder_check(KnowledgeSettings(encoder="bundled"))()
    assert finding.ok, finding
    assert "e5" in str(finding) and "384 dimensions" in str(finding)
