"""Child process for the crash test: edits as fast as it can, acknowledging each commit.

It uses the same entry path as the window (``entry.save_realisation``), so what is
tested is the app's own durability, not a hand-written SQL loop.
"""

import sys
from pathlib import Path

from app.domain.realisation import parse_realisation
from app.models.db import open_database
from app.services import catalog, entry


def main() -> None:
    db = open_database(Path(sys.argv[1]))
    with db.begin() as s:
        rows = [r.id for r in catalog.load_rows(s, catalog.get_plan(s).id)]
    i = 0
    while True:
        row = rows[i % len(rows)]
        values = parse_realisation({"total": str(i + 1), "note": f"edit {i}"})
        entry.save_realisation(db, row, 2023, values, "crash-test")
        # Acknowledge only after the commit returned: that is the promise to the user.
        sys.stdout.write(f"ACK {i} {row}\n")
        sys.stdout.flush()
        i += 1


if __name__ == "__main__":
    main()
