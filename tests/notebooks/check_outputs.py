"""Checks the saved outputs of the tutorial notebooks: every notebook has been executed (each
code cell has an execution count, none has an error output or wrote to standard error), shows at least one HTML model
summary, and the notebooks about diagnostics show at least one plotly figure (HTML with a
figure element and the plotly JSON). plotly.js itself must not be saved in them
(kernel/strip-plotly.py removes it; the HTML copies keep it), and each stays under 2 MB."""
import os
import json
import sys

# Notebooks whose subject is diagnostics: they must carry figures.
NEEDS_FIGURES = ("02-", "04-", "05-")
# A notebook in git stays small: outputs without plotly.js.
MAX_BYTES = 2_000_000


def main(paths):
    problems = []
    for path in paths:
        nb = json.load(open(path))
        summaries = figures = 0
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            if cell.get("execution_count") is None:
                problems.append(f"{path}: code cell {i} was not executed")
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    problems.append(f"{path}: code cell {i} has an error output")
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    problems.append(f"{path}: code cell {i} wrote to standard error "
                                    "(an error returned with `?`)")
                data = out.get("data", {})
                html = "".join(data.get("text/html", []))
                if "rs-summary" in html:
                    summaries += 1
                if "rustystats-figure" in html and "application/vnd.plotly.v1+json" in data:
                    figures += 1
                if "window.__rustystatsDefine" in html:
                    problems.append(f"{path}: code cell {i} saves plotly.js; run "
                                    "kernel/strip-plotly.py on the notebook")
        if os.path.getsize(path) > MAX_BYTES:
            problems.append(f"{path}: {os.path.getsize(path)} bytes, over {MAX_BYTES}")
        if summaries == 0:
            problems.append(f"{path}: no HTML model summary in the saved outputs")
        name = path.rsplit("/", 1)[-1]
        if name.startswith(NEEDS_FIGURES) and figures == 0:
            problems.append(f"{path}: no plotly figure in the saved outputs")
        print(f"{path}: {summaries} summaries, {figures} figures")
    if problems:
        print("FAIL:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
