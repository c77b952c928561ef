"""A wrong setting stops the program with status 2 and says which key and what it expects."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.errors import ConfigError
from handoff.settings import Settings, load_settings

ROOT = Path(__file__).parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "handoff.cli", *args], capture_output=True, text=True, env=full_env, timeout=60
    )


def test_example_settings_file_is_valid() -> None:
    settings = load_settings(ROOT / "settings.example.toml")
    assert settings.dynamics.ticket_properties == {"casetypecode": 2}
    assert settings.smtp.recipients[0] == "cases@support.example.com"


def test_environment_overrides_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_SMTP__PORT", "2626")
    monkeypatch.setenv("HANDOFF_DYNAMICS__CLIENT_SECRET", "from-env")
    settings = load_settings(ROOT / "settings.example.toml")
    assert settings.smtp.port == 2626
    assert settings.dynamics.client_secret.get_secret_value() == "from-env"


def test_wrong_setting_exits_2_naming_key_and_expectation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[dynamics]\ndefault_priority = 7\nurl = "contoso"\n[smtp]\nrecipent = ["x@y"]\n')
    result = run_cli("status", "--config", str(bad))
    assert result.returncode == 2
    assert "[dynamics] default_priority" in result.stderr and "less than or equal to 3" in result.stderr
    assert "[dynamics] url" in result.stderr and "https://<org>.crm.dynamics.com" in result.stderr
    assert "[smtp] recipent: unknown setting" in result.stderr


def test_missing_config_file_exits_2(tmp_path: Path) -> None:
    result = run_cli("check", "--config", str(tmp_path / "nope.toml"))
    assert result.returncode == 2
    assert "not found" in result.stderr


def test_wrong_secret_is_never_echoed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[dynamics]\nclient_secret = 12345678\n")
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    assert "client_secret" in str(info.value)
    assert "12345678" not in str(info.value)
    assert "12345678" not in repr(load_settings(ROOT / "settings.example.toml").dynamics)


def test_bad_guid_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[dynamics]\ndefault_queue_id = "support-queue"\n')
    with pytest.raises(ConfigError, match=r"\[dynamics\] default_queue_id: .*expected a GUID"):
        load_settings(bad)


@pytest.mark.parametrize("command", ["check", "serve"])
def test_a_real_organisation_without_a_secret_exits_2_naming_the_key(tmp_path: Path, command: str) -> None:
    config = tmp_path / "handoff.toml"
    config.write_text(
        f'[spool]\nurl = "sqlite:///{tmp_path}/h.db"\n[dynamics]\nurl = "https://contoso.crm4.dynamics.com"\n'
    )
    done = run_cli(command, "--config", str(config))
    assert done.returncode == 2, done.stderr
    assert "[dynamics] client_secret: required when [dynamics] url is a real organisation" in done.stderr
    assert "HANDOFF_DYNAMICS__CLIENT_SECRET" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "h.db").exists()  # refused before anything opened


def test_moengage_against_the_real_service_needs_its_key(tmp_path: Path) -> None:
    config = tmp_path / "handoff.toml"
    config.write_text(f'[spool]\nurl = "sqlite:///{tmp_path}/h.db"\n[moengage]\nenabled = true\n')
    done = run_cli("check", "--config", str(config))
    assert done.returncode == 2, done.stderr
    assert "[moengage] api_key: required when [moengage] enabled is true against the real service" in done.stderr
    # The key set (in the environment, as the README says) is enough; the emulator needs none.
    assert Settings(moengage={"enabled": True, "api_key": "k"}).missing() == []
    assert Settings(moengage={"enabled": True, "base_url": "sandbox"}).missing() == []


def test_a_wrong_value_names_the_file_or_the_environment_variable_it_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "handoff.toml"
    bad.write_text('[smtp]\nport = "twenty-five"\n[[smtp.users]]\nname = "bot"\npassword_hash = "hunter2"\n')
    monkeypatch.setenv("HANDOFF_HTTP__PORT", "eighty")
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    text = str(info.value)
    assert f"[smtp] port: Input should be a valid integer, unable to parse string as an integer (in {bad}; " in text
    assert "HANDOFF_SMTP__PORT would override it; got 'twenty-five')" in text
    assert "[http] port: Input should be a valid integer" in text
    assert "(from environment variable HANDOFF_HTTP__PORT; got 'eighty')" in text
    assert "[smtp] users.0.password_hash: Value error, expected a hash printed by `handoff hash-password`" in text
    assert f"(in {bad})" in text
    assert "hunter2" not in text  # a password pasted into the wrong key is never echoed


def test_log_settings_are_checked(tmp_path: Path) -> None:
    assert load_settings(ROOT / "settings.example.toml").log.format == "text"
    assert Settings(log={"format": "json", "level": "warning"}).log.level == "WARNING"
    bad = tmp_path / "handoff.toml"
    bad.write_text('[log]\nformat = "yaml"\n')
    with pytest.raises(ConfigError, match=r"\[log\] format: Input should be 'text' or 'json' \(in "):
        load_settings(bad)
