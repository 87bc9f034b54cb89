"""Child process of the two-client tests: waits at a file barrier, then acts once.

    race_worker.py URL BARRIER_DIR NAME import FILE
    race_worker.py URL BARRIER_DIR NAME save ROW_ID YEAR TOTAL SEEN_VERSION

Prints one JSON line: the import's outcome, or ``ok`` / the refusal of the save.
Both children start together: each writes ``NAME.ready`` and waits for ``go``, so their
transactions overlap on the server instead of running one after the other.
"""

import json
import sys
import time
from pathlib import Path

from app.domain.realisation import parse_realisation
from app.models.db import open_database
from app.services import entry, importer
from app.services.concurrency import ConcurrentEditError, Seen

url, barrier, name, action, *args = sys.argv[1:]
db = open_database(url)
with db.begin() as s:  # connect before the barrier: the race is the work, not the login
    pass
Path(barrier, f"{name}.ready").touch()
deadline = time.monotonic() + 60
while not Path(barrier, "go").exists():
    if time.monotonic() > deadline:
        raise SystemExit("no go")
    time.sleep(0.001)
if action == "import":
    out = importer.import_file(db, args[0], accept_new_key=True, user=name)
    result = {"outcome": out.outcome, "reason": out.reason}
else:
    row_id, year, total, version = int(args[0]), int(args[1]), args[2], int(args[3])
    try:
        entry.save_realisation(
            db, row_id, year, parse_realisation({"total": total}), name, seen=Seen(version)
        )
        result = {"outcome": "ok", "reason": ""}
    except ConcurrentEditError as exc:
        result = {"outcome": "refused", "reason": str(exc)}
db.dispose()
print(json.dumps(result), flush=True)
