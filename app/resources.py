"""Finding the data files the app ships, from a source checkout and from a frozen bundle."""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

from app.domain.plausibility import Units


def resources_dir() -> Path:
    """``resources/`` beside the ``app`` package, or inside the PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


@cache
def units() -> Units:
    """The counted-unit list (``resources/units.json``): read once, it is data, not code."""
    return Units.from_json(json.loads(resource("units.json").read_text(encoding="utf-8")))
