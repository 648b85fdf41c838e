"""Configuration: a TOML file, environment overrides, and clear reports of every mistake."""

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, Settings, load_settings


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lotse.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_need_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.database.url == "sqlite+aiosqlite:///lotse.db"
    assert not settings.telegram.enabled


def test_lotse_toml_in_the_working_directory_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file(tmp_path, 'default_language = "en"\n')
    monkeypatch.chdir(tmp_path)
    assert load_settings().default_language == "en"


def test_the_environment_overrides_the_file_nested_with_double_underscores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = config_file(tmp_path, '[telegram]\nenabled = true\ntoken = "from-file"\n')
    monkeypatch.setenv("LOTSE_TELEGRAM__TOKEN", "from-env")
    settings = load_settings(path)
    assert settings.telegram.enabled
    assert settings.telegram.token is not None and settings.telegram.token.get_secret_value() == "from-env"


def test_every_problem_is_named_by_its_key(tmp_path: Path) -> None:
    path = config_file(tmp_path, 'colour = "blue"\n[database]\nurl = "mysql://x"\n[telegram]\nmode = "push"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert [str(problem) for problem in caught.value.problems] == [
        "colour: unknown key",
        "database.url: must start with sqlite+aiosqlite:// or postgresql+asyncpg://",
        "telegram.mode: Input should be 'polling' or 'webhook'",
    ]


def test_an_admin_must_be_a_platform_qualified_id(tmp_path: Path) -> None:
    path = config_file(tmp_path, 'admins = ["anna"]\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value.problems[0]) == "admins: 'anna' is not a platform-qualified id such as telegram:123456"


def test_a_bad_file_ends_the_program_with_status_2_and_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path, "[knowledge]\nmax_choices = 9\nload_starter = 'maybe'\n")
    assert main(["--config", str(path), "db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{path}: knowledge.load_starter: Input should be a valid boolean, unable to interpret input",
        f"{path}: knowledge.max_choices: Input should be less than or equal to 5",
    ]
    assert "Traceback" not in err


def test_a_file_that_is_not_toml_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file(tmp_path, "[database\n")
    assert main(["--config", str(path), "db", "upgrade"]) == 2
    assert capsys.readouterr().err.startswith(f"{path}: (file): is not valid TOML")


def test_a_missing_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(tmp_path / "nope.toml"), "db", "upgrade"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_an_enabled_platform_without_its_credentials_is_a_configuration_error(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[telegram]\nenabled = true\n[matrix]\nenabled = true\nhomeserver = "https://m.org"\n'
                                 'user_id = "@lotse:m.org"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert [str(problem) for problem in caught.value.problems] == [
        "matrix.password: set password or access_token (or LOTSE_MATRIX__PASSWORD)",
        "telegram.token: required when telegram is enabled (or set LOTSE_TELEGRAM__TOKEN)",
    ]


def test_webhook_mode_needs_the_public_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSE_TELEGRAM__TOKEN", "123:abc")
    path = config_file(tmp_path, '[telegram]\nenabled = true\nmode = "webhook"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert [str(problem) for problem in caught.value.problems] == [
        "telegram.webhook.url: the public URL Telegram sends updates to is required in webhook mode"
    ]


def test_the_example_configuration_loads_and_shows_the_defaults() -> None:
    example = Path(__file__).parents[1] / "config.example.toml"
    assert load_settings(example) == Settings()
