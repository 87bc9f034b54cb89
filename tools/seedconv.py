"""What the seed converters share: where the seeds are, how outputs are written or checked.

Each converter (``convert_radpug``, ``convert_renstra``) turns one official document into
a plan data file and a review file; both must be byte-for-byte reproducible, so they
write JSON the same way and use the same ``--check`` that CI runs.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


def seed_path(name: str) -> Path:
    """``$MONEV_SEEDS_DIR/name``, else ``../shared/seeds/name`` beside the repository."""
    env = os.environ.get("MONEV_SEEDS_DIR")
    if env:
        return Path(env) / name
    return (REPO_ROOT / ".." / "shared" / "seeds" / name).resolve()


def dump_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def md_cell(text: str, limit: int = 90) -> str:
    """A table cell of a review file: pipes escaped, long text cut with an ellipsis."""
    s = text.replace("|", "\\|")
    return s if len(s) <= limit else s[: limit - 1] + "…"


def write_outputs(outputs: dict[Path, str], *, check: bool, module: str) -> int:
    """Write the outputs, or with ``check`` only report the ones that are out of date."""
    if check:
        stale = [
            p
            for p, text in outputs.items()
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        for p in stale:
            print(f"out of date: {p} (run python -m {module})", file=sys.stderr)
        return 1 if stale else 0
    for p, text in outputs.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8", newline="\n")
    return 0
