#!/usr/bin/env python3
"""The autograder behind `./lab grade`: runs each submitted notebook headlessly in its own kernel,
then grades the objects it built with the library's own checks, and writes a gradebook.

  grader.py grade --plan PLAN --out DIR [--timeout S] [--memory SIZE] [--jobs N] PATH...
      PATH: submitted .ipynb files or folders of them (searched recursively). Writes DIR/gradebook.csv
      (submission, exercise, step, points, max_points, feedback), DIR/summary.html and each executed
      submission under DIR/executed/.
  grader.py one --plan PLAN --out DIR --timeout S --name NAME NB
      grade one submission into DIR/results/NAME.json (what `grade` runs for each, in a process of its own)

PLAN is the library's list of graded steps (`java org.rnnlab.grade.Autograde`): for every exercise,
its steps, their points and the Java call that grades each. What a submission contains never decides
its grade: outputs are discarded, the notebook is run again, and the checks are calls the grader adds
after the last cell, each printing its result behind a random nonce the submission cannot know.
"""

import argparse
import atexit
import concurrent.futures
import csv
import html
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebooks  # noqa: E402  (the executed notebooks are saved as tools/notebooks.py saves them)

MARK = "RNNLAB-GRADE"
KERNEL = "rnnlab"
EXERCISE_IN_NAME = re.compile(r"(\d+\.\d\d)")
# Output a submission's own cells may keep, all together; past it the rest is dropped (a cell that prints
# without end would otherwise fill memory and the disk with the executed notebook).
OUTPUT_LIMIT = 2 << 20
OUTPUT_CUT = "[grader] output cut here"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# --- one submission ----------------------------------------------------------------------------
def exercise_of(nb, path):
    """The exercise a submission answers: its notebook metadata, else the number in its file name."""
    ex = nb.get("metadata", {}).get("rnnlab", {}).get("exercise")
    if ex:
        return ex
    m = EXERCISE_IN_NAME.search(Path(path).name)
    return m.group(1) if m else None


def parse_bytes(size):
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", size.strip())
    if not m:
        sys.exit(f"--memory {size}: give a size such as 3g or 2048m")
    return int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]


def limited_kernelspec(memory):
    """A copy of the lab's kernelspec whose JVM gets at most `memory` in all: half as heap, the rest
    for ND4J's native arrays (JavaCPP stops allocating beyond its limits). Returns its JUPYTER_PATH."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec_dir = Path(KernelSpecManager().find_kernel_specs()[KERNEL])
    spec = json.loads((spec_dir / "kernel.json").read_text())
    total = parse_bytes(memory)
    heap = total // 2
    argv = [a for a in spec["argv"] if not a.startswith("-Xmx")]
    at = argv.index("java") + 1 if "java" in argv else 1  # the JVM's options follow "java" (after the launcher)
    argv[at:at] = [
        f"-Xmx{heap >> 20}m",
        f"-Dorg.bytedeco.javacpp.maxbytes={total - heap}",
        f"-Dorg.bytedeco.javacpp.maxphysicalbytes={total}",
    ]
    spec["argv"] = argv
    root = Path(tempfile.mkdtemp(prefix="rnnlab-grade-"))
    atexit.register(shutil.rmtree, root, True)
    (root / "kernels" / KERNEL).mkdir(parents=True)
    (root / "kernels" / KERNEL / "kernel.json").write_text(json.dumps(spec))
    return str(root)


def limited_client(nb, learner_cells, **options):
    """An nbclient NotebookClient that keeps at most OUTPUT_LIMIT bytes of output from the submission's own
    cells (the first `learner_cells`), then one note saying so; the grader's cells after them keep theirs."""
    import nbformat
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
                note = nbformat.v4.new_output(
                    "stream",
                    name="stdout",
                    text=(
                        f"\n{OUTPUT_CUT}: the submission printed more than {OUTPUT_LIMIT >> 20} MB; "
                        "the rest was dropped\n"
                    ),
                )
                outs.append(note)
                return note
            return super().output(outs, msg, display_id, cell_index)

    return LimitedClient(nb, **options)


def learner_problems(nb, upto):
    """Error outputs and stderr of the submission's own cells (not the grader's), as readable notes."""
    notes = []
    for i, cell in enumerate(nb.cells[:upto]):
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and OUTPUT_CUT in out.text:
                notes.append(f"cell {i}: printed more than {OUTPUT_LIMIT >> 20} MB of output; the rest was not kept")
            if out.output_type == "error":
                notes.append(
                    f"cell {i}: {out.ename}: {out.evalue.strip().splitlines()[0] if out.evalue.strip() else ''}"
                )
            elif out.output_type == "stream" and out.name == "stderr" and out.text.strip():
                notes.append(f"cell {i}: stderr: {out.text.strip().splitlines()[0]}")
    return notes


def grade_of_cell(cell, nonce, step, max_points):
    """The step result a grader cell printed, or a 0 with the reason it printed none."""
    prefix = f"{MARK} {nonce} "
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            for line in out.text.splitlines():
                if line.startswith(prefix):
                    r = json.loads(line[len(prefix) :])
                    return {
                        "step": step,
                        "points": r["points"],
                        "maxPoints": max_points if r["maxPoints"] else 0,
                        "feedback": r["feedback"],
                    }
    reason = "the check printed no result"
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            text = ANSI.sub("", "\n".join([out.ename, out.evalue] + list(out.get("traceback", []))))
            missing = list(dict.fromkeys(re.findall(r"symbol:\s+variable (\w+)", text)))
            first = next((line.strip() for line in text.splitlines()[1:] if line.strip()), "")
            reason = (
                f"the notebook has no variable {', '.join(f'`{m}`' for m in missing)} (renamed or deleted?)"
                if missing
                else f"the check failed: {out.ename}: {first[:300]}"
            )
    return {"step": step, "points": 0, "maxPoints": max_points, "feedback": reason}


def run_submission(nb, exercise, plan, folder, timeout, log):
    """Executes `nb` (outputs cleared) and then the plan's grader calls, within `timeout` seconds in all.
    Returns (steps, error, learner cell count); `nb` holds the outputs afterwards."""
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    learner_cells = len(nb.cells)
    nonce = secrets.token_hex(16)
    steps = plan[exercise]["steps"]
    deadline = time.monotonic() + timeout
    current = {"cell": None}

    def run_all(client):
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            current["cell"] = i
            client.timeout = max(1, int(deadline - time.monotonic()))
            client.execute_cell(cell, i)

    client = limited_client(
        nb,
        learner_cells,
        timeout=timeout,
        startup_timeout=60,
        kernel_name=KERNEL,
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    try:
        client.reset_execution_trackers()
        with client.setup_kernel(stdout=log, stderr=log):
            run_all(client)
            for s in steps:
                cell = nbformat.v4.new_code_cell(s["call"].replace("{exercise}", exercise).replace("{nonce}", nonce))
                nb.cells.append(cell)
            for i in range(learner_cells, len(nb.cells)):
                current["cell"] = i
                client.timeout = max(1, int(deadline - time.monotonic()))
                client.execute_cell(nb.cells[i], i)
    except CellTimeoutError:
        return (
            [],
            (
                f"cell {current['cell']} was still running when the time limit ({timeout} s) ran out: "
                "an endless loop, or a model far bigger than the exercise's?"
            ),
            learner_cells,
        )
    except DeadKernelError:
        return (
            [],
            (f"the kernel died while running cell {current['cell']} (System.exit, or out of memory?)"),
            learner_cells,
        )
    except (RuntimeError, TimeoutError) as e:
        return [], f"the notebook could not be run: {type(e).__name__}: {e}", learner_cells
    finally:
        atexit.unregister(client._cleanup_kernel)
    results = [
        grade_of_cell(nb.cells[learner_cells + k], nonce, s["step"], s["maxPoints"]) for k, s in enumerate(steps)
    ]
    return results, None, learner_cells


def grade_one(path, plan, out, timeout, name):
    """Grades one submission and writes out/results/<name>.json; never raises for a bad submission."""
    import nbformat

    result = {"submission": name, "exercise": None, "steps": [], "error": None, "notes": [], "seconds": 0.0}
    start = time.monotonic()
    executed = out / "executed" / name
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = nbformat.reads(Path(path).read_text(encoding="utf-8"), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("it has no list of cells")
    except Exception as e:  # any reason the file is not a notebook
        nb = None
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        result["error"] = f"not a valid notebook (JSON): {first[:200]}"
        result["exercise"] = exercise_of({}, path)
    if nb is not None:
        ex = exercise_of(nb, path)
        result["exercise"] = ex
        if ex not in plan:
            result["error"] = (
                f"cannot tell which exercise this is ({ex or 'no exercise number in its metadata or name'}); "
                f"graded exercises: {', '.join(plan)}"
            )
        else:
            with open(executed.with_suffix(".kernel.log"), "w") as log:
                steps, error, learner_cells = run_submission(nb, ex, plan, Path(path).resolve().parent, timeout, log)
            result["steps"], result["error"] = steps, error
            result["notes"] = learner_problems(nb, learner_cells)
            notebooks.coalesce_streams(nb)  # one output per run of printed lines, as the live notebook shows it
            nbformat.write(nb, executed)
    if result["error"] and result["exercise"] in plan:
        # A submission that could not be graded gets 0 for every step it had to answer.
        result["steps"] = [
            {"step": s["step"], "points": 0, "maxPoints": s["maxPoints"], "feedback": result["error"]}
            for s in plan[result["exercise"]]["steps"]
        ]
    result["seconds"] = round(time.monotonic() - start, 1)
    (out / "results").mkdir(parents=True, exist_ok=True)
    (out / "results" / f"{name.replace('/', '__')}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return result


# --- a folder of submissions -------------------------------------------------------------------
def submissions(paths):
    """(name, path) for every .ipynb given or found under the given folders (checkpoints skipped)."""
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*.ipynb")):
                if ".ipynb_checkpoints" not in f.parts:
                    found.append((f"{p.name}/{f.relative_to(p)}", f))
        elif p.exists():
            found.append((f"{p.resolve().parent.name}/{p.name}", p))
        else:
            sys.exit(f"grade: {p} does not exist")
    return found


def grade_all(paths, plan_file, out, timeout, memory, jobs):
    plan = json.loads(Path(plan_file).read_text())
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    todo = submissions(paths)
    seen = {}
    for k, (name, path) in enumerate(todo):  # two submissions never share a name (nor a results file)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            todo[k] = (f"{name} ({seen[name]})", path)
    if not todo:
        sys.exit("grade: no .ipynb files found in " + " ".join(paths))
    # The cores shared out between the kernels that run at once, as ./lab run does: two kernels training on two
    # threads each would fight over two cores.
    threads = notebooks.kernel_threads(jobs)
    print(
        f"Grading {len(todo)} submission(s), {jobs} at a time on {threads} thread(s) each, at most {timeout} s and "
        f"{memory} each; results in {out}",
        flush=True,
    )
    env = dict(
        os.environ,
        JUPYTER_PATH=limited_kernelspec(memory) + os.pathsep + os.environ.get("JUPYTER_PATH", ""),
        RNNLAB_THREADS=str(threads),
    )

    def work(item):
        name, path = item
        cmd = [
            sys.executable,
            __file__,
            "one",
            "--plan",
            plan_file,
            "--out",
            str(out),
            "--timeout",
            str(timeout),
            "--name",
            name,
            str(path),
        ]
        try:
            subprocess.run(cmd, env=env, timeout=timeout + 120, check=False, stdout=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            pass
        f = out / "results" / f"{name.replace('/', '__')}.json"
        if f.exists():
            return json.loads(f.read_text())
        ex = exercise_of({}, path)
        error = "the grader could not finish this submission (it was stopped after the time limit)"
        return {
            "submission": name,
            "exercise": ex,
            "error": error,
            "notes": [],
            "seconds": timeout,
            "steps": [
                {"step": s["step"], "points": 0, "maxPoints": s["maxPoints"], "feedback": error}
                for s in plan.get(ex, {}).get("steps", [])
            ],
        }

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for r in pool.map(work, todo):
            points = sum(s["points"] for s in r["steps"])
            top = sum(s["maxPoints"] for s in r["steps"])
            print(
                f"{points:3d}/{top:<3d} {r['submission']:<56} {r['seconds']:7.1f} s"
                + (f"  {r['error']}" if r["error"] else ""),
                flush=True,
            )
            results.append(r)
    write_gradebook(results, out / "gradebook.csv")
    write_summary(results, out / "summary.html")
    print(f"gradebook: {out / 'gradebook.csv'}, summary: {out / 'summary.html'}")
    return results


def write_gradebook(results, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["submission", "exercise", "step", "points", "max_points", "feedback"])
        for r in results:
            for s in r["steps"]:
                w.writerow(
                    [r["submission"], r["exercise"] or "", s["step"], s["points"], s["maxPoints"], s["feedback"]]
                )
            if r["error"] and not r["steps"]:
                w.writerow([r["submission"], r["exercise"] or "", "notebook", 0, 0, r["error"]])
            if r["notes"]:
                w.writerow([r["submission"], r["exercise"] or "", "run", 0, 0, "; ".join(r["notes"])])


def write_summary(results, path):
    rows = []
    for r in results:
        points = sum(s["points"] for s in r["steps"])
        top = sum(s["maxPoints"] for s in r["steps"])
        detail = "".join(
            f"<li><b>{html.escape(s['step'])}</b> {s['points']}/{s['maxPoints']}: "
            f"{html.escape(s['feedback']).replace(chr(10), '<br>')}</li>"
            for s in r["steps"]
        )
        if r["error"]:
            detail = f"<li><b>not graded</b>: {html.escape(r['error'])}</li>" + detail
        if r["notes"]:
            detail += "".join(f"<li>run: {html.escape(n)}</li>" for n in r["notes"])
        rows.append(
            f"<tr><td>{html.escape(r['submission'])}</td><td>{html.escape(r['exercise'] or '?')}</td>"
            f"<td style='text-align:right'>{points}/{top}</td><td><ul>{detail}</ul></td></tr>"
        )
    path.write_text(
        "<!doctype html><meta charset='utf-8'><title>Gradebook</title>"
        "<style>body{font-family:sans-serif}td{vertical-align:top;border-top:1px solid #ccc;padding:4px}</style>"
        f"<h1>Gradebook</h1><p>{len(results)} submissions, graded {time.strftime('%Y-%m-%d %H:%M')}.</p>"
        "<table><tr><th>submission</th><th>exercise</th><th>points</th><th>feedback</th></tr>"
        + "".join(rows)
        + "</table>",
        encoding="utf-8",
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grade")
    g.add_argument("--plan", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--timeout", type=int, default=3600)
    g.add_argument("--memory", default="3g")
    g.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    g.add_argument("paths", nargs="+")
    o = sub.add_parser("one")
    o.add_argument("--plan", required=True)
    o.add_argument("--out", required=True)
    o.add_argument("--timeout", type=int, required=True)
    o.add_argument("--name", required=True)
    o.add_argument("notebook")
    args = ap.parse_args()
    if args.cmd == "grade":
        grade_all(args.paths, args.plan, args.out, args.timeout, args.memory, args.jobs)
        return 0
    grade_one(args.notebook, json.loads(Path(args.plan).read_text()), Path(args.out), args.timeout, args.name)
    # Leave at once: after a timed-out cell, asyncio would report nbclient's abandoned tasks on the way out.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
