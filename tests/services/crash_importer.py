"""Child process for the crash test: imports files one by one, acknowledging each."""

import sys
from pathlib import Path

from app.models.db import open_database
from app.services import importer

db = open_database(Path(sys.argv[1]))
for f in sys.argv[2:]:
    out = importer.import_file(db, f, accept_new_key=True)
    print(out.outcome, Path(f).name, flush=True)
