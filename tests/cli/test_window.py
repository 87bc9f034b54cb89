"""A window start read without the full parser, as the full parser reads it."""

from __future__ import annotations

import pytest

from app.cli.main import build_parser
from app.cli.window import window_arguments


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["gui"],
        ["--db", "a.sqlite"],
        ["--db=a.sqlite"],
        ["gui", "--db", "b.sqlite"],
        ["--db", "a.sqlite", "gui"],
        ["--db", "a.sqlite", "gui", "--db=b.sqlite"],
        ["gui", "--db", "postgresql+psycopg://monev@127.0.0.1:5432/monev"],
    ],
)
def test_a_window_start_reads_as_the_full_parser_reads_it(argv: list[str]) -> None:
    parser, _commands = build_parser()
    assert window_arguments(argv) == parser.parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["gui", "-h"],
        ["summary", "--db", "a.sqlite"],
        ["--db"],
        ["--db", "--help"],
        ["--db="],
        ["gui", "gui"],
        ["--dbx", "a.sqlite"],
        ["gui", "extra"],
    ],
)
def test_anything_else_is_left_to_the_full_parser(argv: list[str]) -> None:
    assert window_arguments(argv) is None
