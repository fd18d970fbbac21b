#!/usr/bin/env python3
"""Runs one submitted notebook inside the graders' sandbox (tools/sandbox.py) and hands its graded objects
over as files; the graders run it, nobody else needs to.

  submission_run.py --notebook NB --out EXECUTED --status STATUS --handover DIR --template T
                    --objects model,trainer --timeout S [--per-cell] [--kernel rnnlab]

The notebook is run with its outputs cleared: within S seconds in all (default), or S seconds per cell with
the looping cell interrupted and the rest run (--per-cell, as nbgrader does). Then one hand-over cell per
object: T with {dir} and {name} filled in, a call of org.rnnlab.grade.Handover written so that no name a
learner declares can take it over (see Handover's Javadoc). EXECUTED is the notebook with the learner's
outputs (at most OUTPUT_LIMIT bytes of them); STATUS, JSON: the error that stopped the run if any, and per
object whether its hand-over cell failed (and why).

Nothing written here decides a grade: the submission shares this process' sandbox and may rewrite any of
these files. The graders only grade what a separate JVM reads from the hand-over folder, and use the rest
for feedback.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat

# Output a submission's own cells may keep, all together; past it the rest is dropped (a cell that prints
# without end would otherwise fill memory and the disk with the executed notebook).
OUTPUT_LIMIT = 2 << 20
OUTPUT_CUT = "[grader] output cut here"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def limited_client(nb, learner_cells, **options):
    """An nbclient NotebookClient that keeps at most OUTPUT_LIMIT bytes of output from the submission's own
    cells (the first `learner_cells`), then one note saying so; the hand-over cells after them keep theirs."""
    from nbclient import NotebookClient

    class LimitedClient(NotebookClient):
        kept, cut = 0, False

        def output(self, outs, msg, display_id, cell_index):
            if cell_index >= learner_cells:
                return super().output(outs, msg, display_id, cell_index)
            if self.cut:
                return None
            self.kept += len(json.dumps(msg.get("content", {}))) + 64  # and what an output costs in the notebook
            if self.kept > OUTPUT_LIMIT:
                self.cut = True
                text = (
                    f"\n{OUTPUT_CUT}: the submission printed more than {OUTPUT_LIMIT >> 20} MB; the rest was dropped\n"
                )
                note = nbformat.v4.new_output("stream", name="stdout", text=text)
                outs.append(note)
                return note
            return super().output(outs, msg, display_id, cell_index)

    return LimitedClient(nb, **options)


def handover_problem(cell):
    """Why a hand-over cell failed ("missing": the notebook has no such variable), or None."""
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            text = ANSI.sub("", "\n".join([out.ename, out.evalue] + list(out.get("traceback", []))))
            if re.search(r"symbol:\s+variable", text) or "cannot find symbol" in text:
                return "missing"
            first = next((line.strip() for line in text.splitlines()[1:] if line.strip()), out.ename)
            return f"{out.ename}: {first[:200]}"
    return None


def run(nb, objects, template, handover, timeout, per_cell, kernel, log):
    """Executes `nb` then the hand-over cells. Returns (error or None, learner cell count, {object: problem})."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    learner_cells = len(nb.cells)
    deadline = time.monotonic() + timeout
    current = {"cell": None}
    client = limited_client(
        nb,
        learner_cells,
        timeout=timeout,
        startup_timeout=120,
        kernel_name=kernel,
        allow_errors=True,
        interrupt_on_timeout=per_cell,
        resources={"metadata": {"path": str(Path(handover).parent)}},
    )

    def execute(i):
        current["cell"] = i
        if not per_cell:
            client.timeout = max(1, int(deadline - time.monotonic()))
        client.execute_cell(nb.cells[i], i)

    problems = {}
    try:
        client.reset_execution_trackers()
        with client.setup_kernel(stdout=log, stderr=log):
            for i, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    execute(i)
            for name in objects:
                nb.cells.append(nbformat.v4.new_code_cell(template.replace("{dir}", handover).replace("{name}", name)))
                client.timeout = 120
                execute(len(nb.cells) - 1)
                problems[name] = handover_problem(nb.cells[-1])
    except CellTimeoutError:
        return (
            f"cell {current['cell']} was still running when the time limit ({timeout} s) ran out: "
            "an endless loop, or a model far bigger than the exercise's?",
            learner_cells,
            problems,
        )
    except DeadKernelError:
        return (
            f"the kernel died while running cell {current['cell']} (System.exit, or out of memory?)",
            learner_cells,
            problems,
        )
    except (RuntimeError, TimeoutError) as e:
        return f"the notebook could not be run: {type(e).__name__}: {e}", learner_cells, problems
    return None, learner_cells, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notebook", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--status", required=True)
    ap.add_argument("--handover", required=True)
    ap.add_argument("--template", required=True)
    ap.add_argument("--objects", default="")
    ap.add_argument("--timeout", type=int, required=True)
    ap.add_argument("--per-cell", action="store_true")
    ap.add_argument("--kernel", default="rnnlab")
    args = ap.parse_args()
    nb = nbformat.reads(Path(args.notebook).read_text(encoding="utf-8"), as_version=4)
    objects = [o for o in args.objects.split(",") if o]
    with open(Path(args.status).with_suffix(".kernel.log"), "w") as log:
        error, learner_cells, problems = run(
            nb, objects, args.template, args.handover, args.timeout, args.per_cell, args.kernel, log
        )
    del nb.cells[learner_cells:]  # the hand-over cells are the grader's, not part of the submission
    nbformat.write(nb, args.out)
    Path(args.status).write_text(json.dumps({"error": error, "learnerCells": learner_cells, "handover": problems}))
    sys.stdout.flush()
    # Leave at once: after a timed-out cell, asyncio would report nbclient's abandoned tasks on the way out.
    os._exit(0)


if __name__ == "__main__":
    main()
