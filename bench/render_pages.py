"""Render the benchmark HTML with other text renderers, into a folder outside the repository.

Usage: python bench/render_pages.py [--out /tmp/narrascope-renderings] [--renderers lynx,html2text,chromium]

Writes <out>/<set>/<renderer>/<key>.txt for scrapinghub and wcxb-dev-articles:
- lynx:      `lynx -dump -nolist -display_charset=utf-8 -width=1024` (Debian's lynx; no link list)
- html2text: html2text 2025.4.15 (Markdown-ish text), `body_width=0` (no hard wrap), images and
             links kept as Markdown the way the library prints them by default
- chromium:  the body's innerText in headless Chromium (playwright, /usr/bin/chromium), JavaScript
             off and every network request refused, as a user's copy of the page would be
Renderings are never committed: they are derived from pages without a redistribution licence.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

from narrascope.evaluation.benchmark_pages import DATA, SETS, load_gold

DEFAULT_OUT = Path(tempfile.gettempdir()) / "narrascope-renderings"


def html_of(dataset: str, key: str) -> str:
    """The page's HTML as text."""
    return gzip.decompress((DATA / dataset / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")


def render_lynx(html: str) -> str:
    """`lynx -dump` of the page, read from stdin."""
    done = subprocess.run(
        ["/usr/bin/lynx", "-dump", "-nolist", "-stdin", "-assume_charset=utf-8", "-display_charset=utf-8",
         "-width=1024", "-force_html"],
        input=html.encode("utf-8"), capture_output=True, timeout=60, check=False,
    )
    return done.stdout.decode("utf-8", "replace")


def render_html2text(html: str) -> str:
    """html2text's Markdown-like text of the page, unwrapped."""
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0
    return str(converter.handle(html))


def render_all_chromium(jobs: list[tuple[str, Path]]) -> None:
    """innerText of each page's body in one headless Chromium, no scripts, no network."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context = browser.new_context(java_script_enabled=False)
        context.route("**/*", lambda route: route.abort())
        page = context.new_page()
        for html, target in jobs:
            try:
                page.set_content(html, wait_until="domcontentloaded", timeout=20000)
                text = page.evaluate("() => document.body ? document.body.innerText : ''")
            except Exception as error:  # a page the browser cannot load: record it empty, say so
                print(f"{target}: chromium failed: {error}", file=sys.stderr)
                text = ""
            target.write_text(str(text), encoding="utf-8")
        browser.close()


def main() -> int:
    """Render every page with each renderer (skipping files already there)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--renderers", default="lynx,html2text,chromium")
    args = parser.parse_args()
    for renderer in args.renderers.split(","):
        chromium_jobs: list[tuple[str, Path]] = []
        for dataset in SETS:
            folder = args.out / dataset / renderer
            folder.mkdir(parents=True, exist_ok=True)
            for key in load_gold(dataset):
                target = folder / f"{key}.txt"
                if target.exists():
                    continue
                html = html_of(dataset, key)
                if renderer == "lynx":
                    target.write_text(render_lynx(html), encoding="utf-8")
                elif renderer == "html2text":
                    target.write_text(render_html2text(html), encoding="utf-8")
                elif renderer == "chromium":
                    chromium_jobs.append((html, target))
                else:
                    print(f"unknown renderer {renderer}", file=sys.stderr)
                    return 2
        if chromium_jobs:
            render_all_chromium(chromium_jobs)
        print(f"{renderer}: done", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
