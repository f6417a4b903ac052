"""A pytest plugin used with nbval: a notebook cell that writes to standard error fails.

In evcxr 0.22 an error returned with `?` from a cell is printed to standard error and the cell
still counts as a success (the kernel replies "ok"), so nbval would pass a notebook whose cells
fail that way. Panics and failed `assert!`s are already errors (the kernel prelude's panic hook);
this plugin closes the other gap. Load it with `-p nbval_stderr` (tests/notebooks on PYTHONPATH).
"""
import time
from queue import Empty

from nbval.plugin import IPyNbCell

_run_cell = IPyNbCell.runtest

# evcxr forwards what a cell prints from a thread of its own, so a cell's last stream message
# can come after the kernel has said it is idle, where nbval no longer reads. Messages that
# come within this many seconds after a cell (before the next one is sent) are its own.
LATE_OUTPUT_SECONDS = 0.5


def _late_stderr(self):
    """The standard-error text the kernel sends in the grace period after a cell."""
    texts = []
    deadline = time.monotonic() + LATE_OUTPUT_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        try:
            msg = self.parent.get_kernel_message(timeout=left)
        except Empty:
            break
        content = msg.get("content", {})
        if msg.get("msg_type") == "stream" and content.get("name") == "stderr":
            texts.append(content.get("text", ""))
    return texts


def _runtest_no_stderr(self):
    _run_cell(self)
    late = [{"output_type": "stream", "name": "stderr", "text": t} for t in _late_stderr(self)]
    for out in list(self.test_outputs or []) + late:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            self.raise_cell_error(
                "the cell wrote to standard error (in evcxr an error returned with `?` "
                "ends the cell this way)",
                out.get("text", ""),
            )


IPyNbCell.runtest = _runtest_no_stderr
