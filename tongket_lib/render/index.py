"""``OUT/index.html``: every report of an output folder, its verdicts, links and failures.

Built from the stamps the reports' last good renders left (:mod:`~tongket_lib.render.cache`)
and the page template ``templates/index/index.html.j2`` (Jinja, every value escaped). It
links only files that are there when it is written, and a render of one report writes it
again (:func:`refresh_index`): a report rendered in fewer formats than the batch before it
leaves no link to a file it no longer has.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib._version import __version__
from tongket_lib.dataset.store import write_text_atomically
from tongket_lib.period import is_period_id, parse_period
from tongket_lib.render import names
from tongket_lib.render.cache import read_stamp
from tongket_lib.vocab import BANNER, COLOURS, LABELS, TEXT_COLOURS, VERDICTS

MAX_PROBLEMS_SHOWN = 8       # problems of a failed report listed on the page
#: the files of a report the page links to, and their links' words
LINKED = (("html", "HTML"), ("pdf", "PDF"), (names.ANNEX, "PDF phụ lục"), ("docx", "DOCX"))


@dataclass(frozen=True)
class Failure:
    """A report this batch could not render, as the page tells it."""

    name: str                  # the year, or "xu-huong"
    message: str
    failed_notebook: str | None = None


def write_index(out_dir: Path, failures: Iterable[Failure] = (),
                notes: dict[str, str] | None = None) -> Path:
    """Write ``OUT/index.html`` (:data:`~tongket_lib.render.names.INDEX`; atomically, one
    writer at a time), and beside it what it says of failures and notes
    (:data:`~tongket_lib.render.names.INDEX_STATE`) for :func:`refresh_index`."""
    from filelock import FileLock

    with FileLock(str(out_dir / names.INDEX_LOCK)):
        return _write(out_dir, list(failures), dict(notes or {}))


def refresh_index(out_dir: Path, rendered: str) -> Path | None:
    """Write ``OUT/index.html`` again after a render of the report named ``rendered``
    (``2024``, ``xu-huong``), when a batch wrote it: its links follow the files there now,
    its failures and notes stay but that report's failure, which the render has mended.
    An ``index.html`` tongket did not write (no state beside it) is left alone."""
    from filelock import FileLock

    with FileLock(str(out_dir / names.INDEX_LOCK)):
        state = _state(out_dir)
        if state is None or not (out_dir / names.INDEX).is_file():
            return None
        failures = [Failure(**f) for f in state.get("failures", []) if isinstance(f, dict)
                    and f.get("name") != rendered]
        return _write(out_dir, failures, dict(state.get("notes") or {}))


def _state(out_dir: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((out_dir / names.INDEX_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def _write(out_dir: Path, failures: list[Failure], notes: dict[str, str]) -> Path:
    failed = {f.name: f for f in failures}
    years = sorted({p.name for p in out_dir.iterdir() if p.is_dir() and is_period_id(p.name)}
                   | {n for n in failed if is_period_id(n)}, key=parse_period)
    rows, synthetic = [], False
    for name in years:
        folder = out_dir / name
        stamp = read_stamp(folder) if folder.is_dir() else {}
        synthetic |= bool(stamp.get("synthetic"))
        rows.append({
            "name": name, "stamped": bool(stamp), "organisation": stamp.get("organisation", ""),
            "title": stamp.get("title", ""), "when": _when(stamp),
            "failure": _failure(failed.get(name), out_dir, kept=bool(stamp)),
            "verdicts": [{"label": LABELS[v], "count": int(stamp["verdicts"][v]),
                          "colour": COLOURS[v], "text_colour": TEXT_COLOURS[v]}
                         for v in VERDICTS if stamp.get("verdicts", {}).get(v)],
            "links": _links(folder, names.report_name(name), name)})
    stamp = read_stamp(out_dir / names.TRENDS)
    synthetic |= bool(stamp.get("synthetic"))
    links = _links(out_dir / names.TRENDS, names.TRENDS, names.TRENDS) if stamp else []
    trends = {"years": ", ".join(map(str, stamp.get("years", []))), "links": links,
              "failure": _failure(failed.get(names.TRENDS), out_dir, kept=bool(links)),
              "note": notes.get(names.TRENDS, "")}
    page = page_template().render(
        banner=BANNER if synthetic else "", rows=rows, trends=trends, version=__version__,
        when=dt.datetime.now().strftime("%d/%m/%Y %H:%M"))
    index = out_dir / names.INDEX
    state = json.dumps({"failures": [asdict(f) for f in failures], "notes": notes},
                       ensure_ascii=False)
    if _state(out_dir) != json.loads(state):  # left as it is when the same
        write_text_atomically(out_dir / names.INDEX_STATE, state)
    write_text_atomically(index, page)
    return index


def stamp_errors(stamp: dict) -> int:
    """Error-level findings in the data of a stamped report."""
    findings = stamp.get("findings")
    return int(findings.get("error", 0)) if isinstance(findings, dict) else 0


@functools.lru_cache(maxsize=4)
def page_template(name: str = "index.html.j2") -> Any:
    """The page's Jinja template, compiled once a process (a render may write the page
    after every report)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.templates_dir() / "index")), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=False)
    return env.get_template(name)


def _links(folder: Path, stem: str, href_folder: str) -> list[dict[str, str]]:
    """The report's files, and the preparer's checks page (linked from here only: the
    shared page does not link to it)."""
    links = [{"href": f"{href_folder}/{names.output_name(stem, kind)}", "label": label}
             for kind, label in LINKED if (folder / names.output_name(stem, kind)).is_file()]
    if (folder / names.checks_name(stem)).is_file():
        links.append({"href": f"{href_folder}/{names.checks_name(stem)}",
                      "label": "Kiểm tra số liệu"})
    return links


def _failure(failure: Failure | None, out_dir: Path, kept: bool) -> dict[str, Any] | None:
    """What the page says of a failed render, or ``None``. ``kept``: an earlier good
    report of the same name is still there and linked beside."""
    if failure is None:
        return None
    lines = [line.strip() for line in failure.message.splitlines() if line.strip()]
    shown = lines[:MAX_PROBLEMS_SHOWN]
    if len(lines) > MAX_PROBLEMS_SHOWN:
        shown.append(f"… và {len(lines) - MAX_PROBLEMS_SHOWN} dòng nữa (xem kết quả lệnh).")
    link = None
    if failure.failed_notebook and Path(failure.failed_notebook).is_file():
        try:
            link = Path(failure.failed_notebook).resolve().relative_to(
                out_dir.resolve()).as_posix()
        except ValueError:
            link = None
    return {"kept": kept, "lines": shown, "notebook_link": link,
            "notebook": failure.failed_notebook}


def _when(stamp: dict) -> str:
    try:
        return dt.datetime.fromisoformat(stamp["generated"]).strftime("%d/%m/%Y %H:%M")
    except (KeyError, ValueError, TypeError):
        return ""
