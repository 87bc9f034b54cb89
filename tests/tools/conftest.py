"""Shared by the converter tests: run a converter on the seed beside the repository."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from tools.seedconv import load_json


def convert_from_seed(conv: ModuleType) -> tuple[dict[str, Any], str]:
    """The converter's output for the real seed; skips when the seeds are not present."""
    seed = conv.default_seed_path()
    if not seed.exists():
        pytest.skip(f"seed file not available: {seed}")
    result: tuple[dict[str, Any], str] = conv.convert(
        seed.read_text(encoding="utf-8"), load_json(conv.CORRECTIONS_PATH)
    )
    return result
