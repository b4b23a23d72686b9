"""Write docs/report.png: the report of MobileNet V1 and EfficientNet-B0 on a Jetson Orin Nano as headless
Chromium draws it, from the top of the page to MobileNet V1's roofline chart, a layer's tooltip shown.

    python scripts/screenshot.py [--browser PATH] [--out docs/report.png]

Needs Playwright's Python package (``pip install -e '.[test]'``) and a Chromium: the system's (Debian's
``chromium`` package, found on PATH) or Playwright's own (``playwright install chromium``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ["configs/mobilenet_v1.yaml", "configs/efficientnet_b0.yaml"]
DEVICE = ["--device", "jetson-orin-nano"]
WIDTH = 1100
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def system_browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--browser", default=system_browser(), help="the Chromium to run (default: on PATH)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "report.png"), help="the PNG to write")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "dsc_cost", "report", *CONFIGS, *DEVICE, "-o", str(page_file)], cwd=ROOT, check=True
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.browser, args=ARGS)
            page = browser.new_page(viewport={"width": WIDTH, "height": 1000}, color_scheme="light")
            page.goto(page_file.as_uri())
            page.wait_for_selector("html[data-ready]")
            bottom = page.evaluate(
                "(() => { const r = document.querySelector('#network-1 .chart.roofline').getBoundingClientRect();"
                " return Math.ceil(r.bottom + window.scrollY) + 8; })()"
            )
            page.set_viewport_size({"width": WIDTH, "height": bottom})
            page.wait_for_timeout(500)  # the charts redraw once the page is resized
            page.locator("#network-1 .bar[data-i='5']").hover()
            page.screenshot(path=args.out, clip={"x": 0, "y": 0, "width": WIDTH, "height": bottom})
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
