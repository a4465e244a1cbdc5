"""Settings come from the environment; production settings pass Django's deployment checks."""

import os
import subprocess
import sys

import pytest
from django.db import connection


def run_cuakhau(*args, env_extra, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "cuakhau.settings", "CUAKHAU_VAR_DIR": str(tmp_path), **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "cuakhau", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_prints_no_warning_with_production_settings(tmp_path):
    result = run_cuakhau(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        env_extra={
            "DEBUG": "0",
            "SECRET_KEY": "k" * 20 + "production-secret-from-the-environment-0123456789",
            "ALLOWED_HOSTS": "cuakhau.langson.gov.vn",
            # production keeps the ID-number key apart from the database (docs/personal-data.md)
            "CUAKHAU_DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_debug_settings_do_not_pass_deploy_checks(tmp_path):
    # The check is real: with DEBUG on it complains.
    result = run_cuakhau(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, env_extra={"DEBUG": "1"}
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_languages_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en", "zh-hans"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh" and settings.USE_TZ


def test_default_database_is_sqlite_in_wal_mode_under_var(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode'); "
        "print(connection.vendor, c.fetchone()[0], connection.settings_dict['NAME'])"
    )
    result = run_cuakhau("shell", "-c", code, tmp_path=tmp_path, env_extra={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    vendor, mode, name = result.stdout.split()[-3:]
    assert (vendor, mode) == ("sqlite", "wal")
    assert name == str(tmp_path / "cuakhau.sqlite3")
