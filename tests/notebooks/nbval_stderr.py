"""A pytest plugin used with nbval: a notebook cell that writes to standard error fails.

In evcxr 0.22 an error returned with `?` from a cell is printed to standard error and the cell
still counts as a success (the kernel replies "ok"), so nbval would pass a notebook whose cells
fail that way. Panics and failed `assert!`s are already errors (the kernel prelude's panic hook);
this plugin closes the other gap. Load it with `-p nbval_stderr` (tests/notebooks on PYTHONPATH).
"""
from nbval.plugin import IPyNbCell

_run_cell = IPyNbCell.runtest


def _runtest_no_stderr(self):
    _run_cell(self)
    for out in self.test_outputs or []:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            self.raise_cell_error(
                "the cell wrote to standard error (in evcxr an error returned with `?` "
                "ends the cell this way)",
                out.get("text", ""),
            )


IPyNbCell.runtest = _runtest_no_stderr
