"""``python -m app``: the window, or a command for batch work without a display."""

from __future__ import annotations

import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
