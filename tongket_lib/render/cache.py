"""What a good render was made from, so an unchanged report is not made again.

A render's *fingerprint* changes whenever a data file, the notebook, the library's own
code and templates, or the options change. The last good render of a folder records
it in a stamp file (:data:`~tongket_lib.render.names.STAMP`); a batch compares the two
without starting anything heavy.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib._version import __version__
from tongket_lib.dataset.store import write_text_atomically
from tongket_lib.render.names import STAMP, output_name


@functools.cache
def library_digest() -> str:
    """Version and a hash of the library's own files (code and templates); read once a
    process (a batch asks for it for every report)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(paths.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".json", ".yaml"):
            digest.update(str(path.relative_to(paths.PACKAGE_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()


def fingerprint(files: list[Path], notebook: Path, options: dict[str, Any]) -> str:
    """Changes whenever a data file, the notebook, the library or the options change."""
    digest = hashlib.sha256(library_digest().encode())
    for path in [*files, notebook]:
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def read_stamp(folder: Path) -> dict:
    """What the last good render of ``folder`` recorded, or ``{}``."""
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def stamp_text(record: dict) -> str:
    """The stamp file's content: ``record`` with the time and the tool's version."""
    return json.dumps({**record, "generated": dt.datetime.now().isoformat(timespec="seconds"),
                       "tongket": __version__}, ensure_ascii=False, indent=1, default=str)


def write_stamp(folder: Path, record: dict) -> None:
    """Record a good render of ``folder``."""
    write_text_atomically(folder / STAMP, stamp_text(record))


def is_current(folder: Path, stem: str, print_: str, formats: tuple[str, ...]) -> bool:
    """Whether ``folder`` holds a good render of exactly these inputs."""
    stamp = read_stamp(folder)
    return (stamp.get("fingerprint") == print_
            and all((folder / output_name(stem, kind)).is_file() for kind in ("ipynb", *formats)))
