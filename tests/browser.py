"""Opening an HTML file in a real headless Chromium (Debian's), as a colleague would.

Playwright drives the browser over the DevTools protocol, which gives the three things
the tests need without hand-writing a protocol client: every request the page makes,
every console message and page error, and screenshots. It launches Debian's
``chromium`` (no downloaded browser) with the flags the project's guide names.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@dataclass
class PageReport:
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    images: int = 0
    broken_images: int = 0
    text: str = ""
    headings: list[str] = field(default_factory=list)
    width: int = 0                 # the viewport's width in CSS pixels
    page_width: int = 0            # the page's scroll width: wider than the viewport scrolls
    broken_numbers: list[str] = field(default_factory=list)  # figures split across lines
    lines: dict[str, int] = field(default_factory=dict)  # selector → lines of its first match

    @property
    def outside_requests(self) -> list[str]:
        """Requests that leave the file: anything but itself and data: URIs."""
        return [u for u in self.requests[1:] if not u.startswith("data:")]

    @property
    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"]


#: in the page: every figure ("83,25%", "486.771.474", "2024") of the visible text whose
#: characters lie on more than one line
BROKEN_NUMBERS = r"""() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("code, script, style") || !parent.offsetParent) continue;
    for (const m of node.data.matchAll(/\d[\d.,]*\d%?|\d%?/g)) {
      if (m[0].length < 2) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                                      .map(r => Math.round(r.top)));
      if (tops.size > 1) out.push(m[0] + " ← " + node.data.trim().slice(0, 60));
    }
  }
  return out;
}"""
#: in the page: how many lines the text of an element takes
LINES = """e => { const r = document.createRange(); r.selectNodeContents(e);
  return new Set([...r.getClientRects()].filter(x => x.width > 0)
                                         .map(x => Math.round(x.top))).size; }"""


def open_in_chromium(path: Path, screenshot: Path | None = None, width: int = 1100,
                     lines: tuple[str, ...] = ()) -> PageReport:
    """Load ``path`` in headless Chromium at ``width`` CSS pixels and report what
    happened, the figures broken across lines, and how many lines the first element of
    each selector in ``lines`` takes."""
    from playwright.sync_api import sync_playwright

    report = PageReport()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 1400})
            page.on("request", lambda r: report.requests.append(r.url))
            page.on("console", lambda m: report.console.append((m.type, m.text)))
            page.on("pageerror", lambda e: report.page_errors.append(str(e)))

            def on_dialog(dialog) -> None:
                report.dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(300)  # a late onerror handler would have fired by now
            report.images = page.eval_on_selector_all("img", "els => els.length")
            report.broken_images = page.eval_on_selector_all(
                "img", "els => els.filter(e => !e.complete || e.naturalWidth === 0).length")
            report.text = page.inner_text("body")
            report.headings = page.eval_on_selector_all(
                "h1, h2, h3", "els => els.map(e => e.innerText.trim())")
            report.width = width
            report.page_width = page.evaluate("() => document.documentElement.scrollWidth")
            report.broken_numbers = page.evaluate(BROKEN_NUMBERS)
            report.lines = {sel: page.eval_on_selector(sel, LINES) for sel in lines}
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    return report
