"""The frozen smoke test of build_installer.py: run the bundle's programs as a user would.

On a new database in a temporary folder: the summary (migrations and the seeded matrix
are data files PyInstaller would silently drop), a focal point's signed submission and a
PAdES-signed PDF verified (cryptography, openpyxl, reportlab, pyHanko), the window, the
PostgreSQL driver dialling a server, and (Linux) Qt's ICU calls on the slimmed ICU data.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from build_installer import CLI_NAME, EXE_SUFFIX, NAME, icu_libraries


def _run(cmd: Sequence[str], env: dict[str, str], timeout: int = 300) -> str:
    res = subprocess.run(
        list(cmd), capture_output=True, text=True, env=env, timeout=timeout, check=False
    )
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return res.stdout


def smoke(bundle: Path) -> None:
    gui = str(bundle / (NAME + EXE_SUFFIX))
    cli = str(bundle / (CLI_NAME + EXE_SUFFIX))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = _run([cli, "--help"], env, timeout=120)
    assert "Monev RAD PUG" in out, out
    with tempfile.TemporaryDirectory() as tmp:
        env["MONEV_DATA_DIR"] = tmp
        db = Path(tmp) / "bundle.sqlite"
        t0 = time.perf_counter()
        data = json.loads(_run([cli, "summary", "--db", str(db), "--json"], env))
        print(
            f"frozen summary on a new database: {data['rows']} rows, "
            f"{data['opd_count']} OPDs, {time.perf_counter() - t0:.2f} s"
        )
        if data["rows"] == 0:
            raise SystemExit("the bundle created a database without the official matrix")
        _smoke_signed(cli, db, Path(tmp), env)
        _smoke_window(gui, db, env)
        _smoke_server_driver(cli, env)
    _smoke_icu(bundle)
    print(f"smoke test passed: {bundle}")


def _smoke_signed(cli: str, db: Path, tmp: Path, env: dict[str, str]) -> None:
    """A focal point's signed submission (xlsx + PDF) and a PAdES-signed PDF, verified:
    the frozen cryptography, openpyxl, reportlab and pyHanko work together."""
    t0 = time.perf_counter()
    secret = tmp / "kata-sandi.txt"
    secret.write_text("rahasia-uji-bundel", encoding="utf-8")
    xlsx, pdf, signed = tmp / "kiriman.xlsx", tmp / "kiriman.pdf", tmp / "kiriman-ttd.pdf"
    _run([cli, "keygen", "--passphrase-file", str(secret)], env)
    submit = ["submit", "--db", str(db), "--year", "2023", "--opd", "DINSOS-PPPA"]
    _run(
        [cli, *submit, "--xlsx", str(xlsx), "--pdf", str(pdf), "--passphrase-file", str(secret)],
        env,
    )
    p12, ca = _test_certificate(tmp, "rahasia-uji-bundel")
    sign = ["pdf-sign", "--pdf", str(pdf), "--out", str(signed), "--p12", str(p12)]
    _run([cli, *sign, "--passphrase-file", str(secret)], env)
    out = _run([cli, "verify", "--trust", str(ca), str(xlsx), str(signed)], env)
    if out.count("SAH") != 2:
        raise SystemExit(f"the frozen verify did not accept both signed files:\n{out}")
    print(f"frozen signed submission and PAdES PDF verified, {time.perf_counter() - t0:.1f} s")


def _test_certificate(folder: Path, passphrase: str) -> tuple[Path, Path]:
    """A throwaway self-signed signing certificate (.p12) and its PEM to trust."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Uji Bundel")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    enc = serialization.BestAvailableEncryption(passphrase.encode())
    p12, ca = folder / "uji.p12", folder / "uji-ca.pem"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"uji", key, cert, None, enc))
    ca.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return p12, ca


def _closed_port() -> int:
    """A loopback port nothing listens on: the system picks a free one, we let it go."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _smoke_server_driver(cli: str, env: dict[str, str]) -> None:
    """The Pokja's server connection from the bundle: psycopg, its binary build and libpq
    load and dial. No server is needed: libpq's own refusal proves the driver ran (without
    it the error would be psycopg's "no pq wrapper available")."""
    url = f"postgresql+psycopg://monev@127.0.0.1:{_closed_port()}/monev"
    res = subprocess.run(
        [cli, "summary", "--db", url, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    said = res.stdout + res.stderr
    if res.returncode == 0 or "connection to server at" not in said:
        raise SystemExit(f"the frozen PostgreSQL driver did not reach libpq:\n{said}")
    print("frozen PostgreSQL driver: libpq dialled the server (refused, as expected)")


def _smoke_window(exe: str, db: Path, env: dict[str, str]) -> None:
    """The frozen window starts and stays up: Qt plugins, fonts and the UI are bundled."""
    con = sqlite3.connect(db)
    with con:
        for key, value in (
            ("role", "pokja"),
            ("name", "Uji Bundel"),
            ("nip", "198001012005011001"),
            ("opd", ""),
            ("year", "2023"),
        ):
            con.execute(
                "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                (f"profile.{key}", value),
            )
    con.close()
    proc = subprocess.Popen(
        [exe, "gui", "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        proc.wait(timeout=8)
    except subprocess.TimeoutExpired:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
        if "Traceback" in err:
            raise SystemExit(f"the frozen window raised an error:\n{err}") from None
        print("frozen window ran 8 s without error")
        return
    out, err = proc.communicate()
    raise SystemExit(f"the frozen window exited early ({proc.returncode}):\n{out}\n{err}")


# Qt's ICU calls on the slimmed data: Indonesian collation (QFileSystemModel sorts the file
# dialog with QCollator), numeric collation, case mapping and a time zone's name.
ICU_CHECK = """
import functools, sys
from PySide6.QtCore import QCollator, QLocale, QTimeZone
maps = open("/proc/self/maps").read()
assert sys.argv[1] in maps, "the bundle's ICU data was not loaded"
c = QCollator(QLocale("id_ID"))
words = sorted(["zebra", "Bandung", "apel", "Edi", "Ábel"], key=functools.cmp_to_key(c.compare))
assert words == ["Ábel", "apel", "Bandung", "Edi", "zebra"], words
c.setNumericMode(True)
assert sorted(["10", "2", "1"], key=functools.cmp_to_key(c.compare)) == ["1", "2", "10"]
assert QLocale("tr_TR").toUpper("istanbul") == "İSTANBUL"
name = QTimeZone(b"Asia/Jakarta").displayName(
    QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("id_ID"))
assert name == "Waktu Indonesia Barat", name
print("ICU ok")
"""


def _smoke_icu(bundle: Path) -> None:
    """The bundle's ICU data under Qt: the frozen programs cannot run a script, so the
    building Python's PySide6 (the same wheel) loads the bundle's data library first."""
    for lib in icu_libraries(bundle):
        env = {**os.environ, "LD_PRELOAD": str(lib.resolve()), "QT_QPA_PLATFORM": "offscreen"}
        out = _run([sys.executable, "-c", ICU_CHECK, str(lib.resolve())], env, timeout=120)
        if "ICU ok" not in out:
            raise SystemExit(f"Qt does not work with the bundle's ICU data:\n{out}")
        print(f"bundle's ICU data ({lib.stat().st_size / 1e6:.1f} MB): collation, zone names ok")
