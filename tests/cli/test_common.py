"""The command line's way into a server database: a password is asked only on a terminal."""

from __future__ import annotations

import getpass
import io
import os

import pytest

from app.__main__ import main
from tests.models.test_db_server import PASSWORD, Role, no_password, role

__all__ = ["no_password", "role"]  # fixtures shared with the models' server tests


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_script_gets_the_refusal_not_a_prompt(
    role: Role, no_password: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", "--db", role.url, "--json"]) == 1
    err = capsys.readouterr().err
    assert "meminta kata sandi" in err and "Traceback" not in err


def test_on_a_terminal_the_password_is_asked_once_and_not_written(
    role: Role,
    no_password: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return PASSWORD

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", answer)
    try:
        assert main(["summary", "--db", role.url, "--json"]) == 0
        assert len(asked) == 1 and "monev_sandi" in asked[0]
        assert '"rows"' in capsys.readouterr().out
        assert os.environ.get("PGPASSWORD") == PASSWORD  # this process only, for libpq
    finally:
        # Not monkeypatch.delenv: it would note the app's value and put it back at
        # teardown, and every later server test would then log in with this password.
        os.environ.pop("PGPASSWORD", None)
