"""Where this installation keeps its files: the user's data folder and the default database."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """The user's data folder (per OS), overridable with MONEV_DATA_DIR for tests."""
    env = os.environ.get("MONEV_DATA_DIR")
    if env:
        return Path(env)
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "MonevRADPUG"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "monev-radpug"


def default_db_path() -> Path:
    return default_data_dir() / "monev-radpug.sqlite"
