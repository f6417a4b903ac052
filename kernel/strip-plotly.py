#!/usr/bin/env python3
"""Removes the embedded plotly.js (about 4.6 MB) from the saved outputs of executed notebooks,
so that the notebooks in git stay small while keeping every other output: text, tables, model
summaries, and each figure as its plotly JSON and its HTML element.

A figure's HTML waits for `window.Plotly`; in a kernel, the first figure shown sends plotly.js
again, and the HTML copies written by `kernel/setup.sh` (notebooks/html/) keep it, so they draw
offline. Usage: python3 kernel/strip-plotly.py NOTEBOOK.ipynb ...  (rewrites them in place).
"""
import json
import sys

START = '<script type="text/javascript">window.__rustystatsDefine = window.define;'
END = "window.__rustystatsQueue = [];</script>\n"
NOTE = "<!-- plotly.js left out of the saved notebook: run the notebook, or open its copy in notebooks/html/ -->\n"


def strip_html(html):
    """The HTML without the plotly.js block (the tags made by plot::plotly_js_tags)."""
    start = html.find(START)
    if start < 0:
        return html
    end = html.find(END, start)
    if end < 0:
        raise SystemExit("a plotly.js block without its end: not a rustystats figure output")
    return html[:start] + NOTE + html[end + len(END):]


def strip(path):
    nb = json.load(open(path, encoding="utf-8"))
    removed = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" not in data:
                continue
            html = data["text/html"]
            text = "".join(html) if isinstance(html, list) else html
            slim = strip_html(text)
            if slim != text:
                removed += len(text) - len(slim)
                data["text/html"] = slim.splitlines(keepends=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{path}: {removed} bytes of plotly.js removed")


if __name__ == "__main__":
    for p in sys.argv[1:]:
        strip(p)
