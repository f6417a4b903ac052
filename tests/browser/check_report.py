"""Renders a standalone rustystats HTML report in headless Chromium and checks every figure
was drawn: each figure element holds a plotly SVG with at least one trace that has drawn
marks (a path with data, bars or points), and no figure is left empty.

usage: python3 tests/browser/check_report.py REPORT.html [SCREENSHOT.png]
Exit 0 when all figures are drawn; 1 otherwise (with what is missing).
"""
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--virtual-time-budget=20000", "--window-size=1280,4000",
]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium not found: apt-get install chromium")


def run(args, profile):
    cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    return out.stdout


class Figures(HTMLParser):
    """Per figure element (class rustystats-figure): plotly SVG roots and drawn marks."""

    def __init__(self):
        super().__init__()
        self.figures = []   # dicts: svg, traces, marks
        self.depth = 0      # nesting inside the current figure, 0 = outside
        self.cur = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "") or ""
        if self.cur is None and "rustystats-figure" in cls.split():
            self.cur = {"svg": 0, "traces": 0, "marks": 0}
            self.depth = 1
            return
        if self.cur is None:
            return
        if tag not in ("br", "img", "input", "meta", "link"):
            self.depth += 1
        if tag == "svg" and "main-svg" in cls:
            self.cur["svg"] += 1
        if "trace" in cls.split():
            self.cur["traces"] += 1
        d = a.get("d", "") or ""
        if tag == "path" and ("point" in cls or "js-line" in cls or "js-fill" in cls
                              or re.search(r"[ML][\d.]+,[\d.]+", d)) and len(d) > 8:
            self.cur["marks"] += 1
        if tag == "path" and "point" in cls.split():
            self.cur["marks"] += 1

    def handle_endtag(self, tag):
        if self.cur is None:
            return
        self.depth -= 1
        if self.depth == 0:
            self.figures.append(self.cur)
            self.cur = None


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    report = Path(sys.argv[1]).resolve()
    html = report.read_text()
    expected = html.count('class="rustystats-figure"')
    with tempfile.TemporaryDirectory() as profile:
        dom = run(["--dump-dom", report.as_uri()], profile)
        if len(sys.argv) > 2:
            run([f"--screenshot={Path(sys.argv[2]).resolve()}", report.as_uri()], profile)
    parser = Figures()
    parser.feed(dom)
    problems = []
    if expected == 0:
        problems.append("the report has no figures")
    if len(parser.figures) != expected:
        problems.append(f"{expected} figures in the file, {len(parser.figures)} in the page")
    for i, f in enumerate(parser.figures, 1):
        if f["svg"] == 0:
            problems.append(f"figure {i}: no plotly SVG (plotly.js did not draw it)")
        elif f["traces"] == 0 or f["marks"] == 0:
            problems.append(f"figure {i}: drawn but empty ({f['traces']} traces, {f['marks']} marks)")
    if problems:
        print("report check FAILED:\n  " + "\n  ".join(problems))
        return 1
    print(f"report check: {len(parser.figures)} figures drawn "
          f"({sum(f['marks'] for f in parser.figures)} marks) in {report.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
