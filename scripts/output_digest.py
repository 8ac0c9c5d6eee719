#!/usr/bin/env python3
"""Digest what tongket writes, to show that a change of structure changes no output.

    python scripts/output_digest.py INPUTS OUT > digest.txt

``INPUTS`` holds the data to run on, made once and kept (so the digest of two checkouts
compares the same inputs): ``INPUTS/data`` (one organisation: ``2024/``, ``rules.yaml``),
``INPUTS/demo`` (several years) and ``INPUTS/units`` (a multi-unit folder). ``OUT`` is a
new scratch folder. The script runs the ``tongket`` command of the checkout it is in on
them (``report``, ``trends``, ``excel export`` then ``import``, ``excel export --units``
then ``collect``, ``summary``) and prints one line per output file: its path under
``OUT`` and the SHA-256 of its content with the time of the run taken out (the HTML's
creation time and footer, the .docx's core properties, the stored tables' write times).
Two checkouts whose digests are equal wrote the same bytes, apart from times.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TONGKET = [str(ROOT / ".venv" / "bin" / "tongket")]

_TIMES = [
    (re.compile(rb'<meta content="\d{4}-\d\d-\d\dT[\d:]+" name="dcterms\.created"/>'), b""),
    (re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), b"TIME"),
    (re.compile(rb"\d\d/\d\d/20\d\d \d\d:\d\d(:\d\d)?"), b"TIME"),
    # the summary's footer names its tables' fingerprint, made of file times and the code
    (re.compile("bảng tổng hợp, mã kiểm tra <code>[0-9a-f]+</code>".encode()), b"FINGERPRINT"),
]


def run(*args: str, env: dict[str, str]) -> None:
    # run inside OUT, so that paths the outputs name are the same whatever OUT is
    done = subprocess.run([*TONGKET, *args], env=env, capture_output=True, text=True,
                          cwd=env["TONGKET_REPORTS"].rsplit("/", 1)[0])
    if done.returncode not in (0, 1):
        sys.exit(f"tongket {' '.join(args)} exited {done.returncode}:\n{done.stderr}")


def digest(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix in (".docx", ".xlsx"):
        parts = []
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in sorted(z.namelist()):
                if name.startswith("docProps/"):
                    continue  # core properties: the time of writing
                parts.append(name.encode() + b"\0" + z.read(name))
        data = b"\0\0".join(parts)
    elif path.suffix == ".parquet":
        import pandas as pd

        data = pd.read_parquet(path).to_csv(index=False).encode()
    for pattern, repl in _TIMES:
        data = pattern.sub(repl, data)
    return hashlib.sha256(data).hexdigest()[:16]


def main() -> int:
    inputs, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(inputs, out / "in")
    env = {**os.environ, "TONGKET_CACHE": str(out / "cache"), "TONGKET_REPORTS": str(out / "reports")}
    env.pop("TONGKET_DATA", None)
    data, demo, units = out / "in" / "data", out / "in" / "demo", out / "in" / "units"
    run("report", "2024", "--data", str(data), "--format", "html,docx", env=env)
    run("report", "2022", "--data", str(demo), "--format", "html,docx",
        "--out", str(out / "reports" / "demo"), env=env)
    run("trends", "--data", str(demo), "--format", "html", "--out", str(out / "reports" / "demo"),
        env=env)
    run("excel", "export", "2024", "--data", str(data), "-o", str(out / "seed.xlsx"), env=env)
    run("excel", "import", str(out / "seed.xlsx"), "--year", "2024", "--data", str(data), "--force",
        env=env)
    for backup in data.glob("2024.sao-luu-*"):
        shutil.rmtree(backup)
    run("excel", "export", "2024", "--data", str(units), "--units", "all", "-o", str(out / "sent"),
        env=env)
    for year in units.glob("*/2024"):
        shutil.rmtree(year)
    run("collect", str(out / "sent"), "--year", "2024", "--data", str(units), "-j", "1", env=env)
    run("summary", "2024", "--data", str(units), "--format", "html", env=env)
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out)
        if rel.parts[0] == "in" and path.suffix not in (".csv", ".yaml"):
            continue
        # notebooks, stamps and fingerprints record times and the code's own digest
        if path.suffix in (".ipynb", ".png", ".lock", ".json") or ".sao-luu-" in str(rel):
            continue
        # the cache's folder is named after the data folder's path
        print(f"{digest(path)}  {re.sub(r'units-[0-9a-f]+', 'units-*', str(rel))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
