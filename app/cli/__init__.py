"""The commands of ``python -m app``: one module per command group, listed in
``app.cli.main.GROUPS``, sharing the helpers of ``app.cli.common``. No Qt here."""
