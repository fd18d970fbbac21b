#!/usr/bin/env python3
"""The autograder behind `./lab grade`: grades each submitted notebook (tools/grading.py) and writes a gradebook.

  grader.py grade --plan PLAN --out DIR [--timeout S] [--memory SIZE] [--jobs N] PATH...
      PATH: submitted .ipynb files or folders of them (searched recursively). Writes DIR/gradebook.csv
      (submission, exercise, step, points, max_points, feedback), DIR/summary.html and each executed
      submission under DIR/executed/.

PLAN is the library's list of graded steps (`java org.rnnlab.grade.Autograde`): for every exercise, its
steps, their points and the objects each reads. Each submission runs in a sandbox of its own and only hands
its objects over; a JVM that never ran learner code grades them (tools/grading.py says how). Which exercise a
submission answers comes from its file name (or folder), as the instructor collected it, before its metadata.
"""

import argparse
import concurrent.futures
import csv
import html
import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import grading  # noqa: E402
import sandbox  # noqa: E402
from submission_run import OUTPUT_CUT, OUTPUT_LIMIT  # noqa: E402

import notebooks  # noqa: E402  (the executed notebooks are saved as tools/notebooks.py saves them)

EXERCISE_IN_NAME = re.compile(r"(\d+\.\d\d)")
SUBMISSION_LIMIT = 32 << 20  # a submitted notebook larger than this is not run


# --- one submission ----------------------------------------------------------------------------
def exercise_of(nb, path):
    """The exercise a submission answers: the number in its file name (or folder), which the instructor's
    collection decides, else its notebook metadata."""
    m = EXERCISE_IN_NAME.search(Path(path).name) or EXERCISE_IN_NAME.search(str(Path(path).parent.name))
    if m:
        return m.group(1)
    ex = nb.get("metadata", {}).get("rnnlab", {}).get("exercise")
    return ex if isinstance(ex, str) else None


def metadata_note(nb, exercise):
    """A note when the notebook's metadata names another exercise than the one it is graded as."""
    ex = nb.get("metadata", {}).get("rnnlab", {}).get("exercise")
    if ex and ex != exercise:
        return f"its metadata names exercise {str(ex)[:20]!r}; graded as {exercise}, the exercise its file name gives"
    return None


def learner_problems(nb, upto):
    """Error outputs and stderr of the submission's own cells, as readable notes."""
    notes = []
    for i, cell in enumerate(nb.cells[:upto]):
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and OUTPUT_CUT in out.get("text", ""):
                notes.append(f"cell {i}: printed more than {OUTPUT_LIMIT >> 20} MB of output; the rest was not kept")
            if out.output_type == "error":
                value = str(out.get("evalue", "")).strip()
                notes.append(
                    f"cell {i}: {str(out.get('ename', ''))[:100]}: {value.splitlines()[0][:300] if value else ''}"
                )
            elif out.output_type == "stream" and out.get("name") == "stderr" and str(out.get("text", "")).strip():
                notes.append(f"cell {i}: stderr: {str(out.text).strip().splitlines()[0][:300]}")
    return notes[:20]


def grade_one(path, plan, out, timeout, name, memory, mode):
    """Grades one submission and writes out/results/<name>.json; never raises for a bad submission."""
    result = {"submission": name, "exercise": None, "steps": [], "error": None, "notes": [], "seconds": 0.0}
    start = time.monotonic()
    executed = out / "executed" / name
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        if Path(path).stat().st_size > SUBMISSION_LIMIT:
            raise ValueError(f"it is larger than {SUBMISSION_LIMIT >> 20} MB")
        nb = nbformat.reads(Path(path).read_text(encoding="utf-8"), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("it has no list of cells")
    except Exception as e:  # any reason the file is not a notebook
        nb = None
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        result["error"] = f"not a valid notebook (JSON): {first[:200]}"
        result["exercise"] = exercise_of({}, path)
    exercises = grading.exercises_of(plan)
    if nb is not None:
        ex = exercise_of(nb, path)
        result["exercise"] = ex
        if ex not in exercises:
            result["error"] = (
                f"cannot tell which exercise this is ({ex or 'no exercise number in its metadata or name'}); "
                f"graded exercises: {', '.join(exercises)}"
            )
        else:
            note = metadata_note(nb, ex)
            with open(executed.with_suffix(".kernel.log"), "w") as log:
                g = grading.grade(
                    nb,
                    ex,
                    plan,
                    mode=mode,
                    timeout=timeout,
                    memory=memory,
                    jupyter_path=os.environ.get("JUPYTER_PATH", ""),
                    log=log,
                )
            result["steps"], result["error"] = g.steps, g.error
            result["sandbox"] = g.sandbox
            if g.executed is not None:
                result["notes"] = learner_problems(g.executed, g.learner_cells)
                notebooks.coalesce_streams(
                    g.executed
                )  # one output per run of printed lines, as the live notebook shows it
                nbformat.write(g.executed, executed)
            result["notes"] += g.notes
            if note:
                result["notes"].insert(0, note)
    if result["error"] and result["exercise"] in exercises and not result["steps"]:
        result["steps"] = grading.zero_steps(plan, result["exercise"], result["error"])
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


def grade_all(paths, plan_file, out, timeout, memory, jobs, mode=None):
    plan = json.loads(Path(plan_file).read_text())
    mode = mode or os.environ.get("RNNLAB_MODE", "quick")
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
    try:
        sandbox.require()
    except sandbox.SandboxUnavailable as e:
        sys.exit(f"grade: {e}")
    os.environ["RNNLAB_THREADS"] = str(threads)

    def work(item):
        name, path = item
        try:
            return grade_one(path, plan, out, timeout, name, memory, mode)
        except Exception as e:  # the grader's own failure: reported for this submission, the others go on
            ex = exercise_of({}, path)
            error = f"the grader failed on this submission: {type(e).__name__}: {str(e)[:300]}"
            steps = grading.zero_steps(plan, ex, error) if ex in grading.exercises_of(plan) else []
            return {"submission": name, "exercise": ex, "error": error, "notes": [], "seconds": 0.0, "steps": steps}

    def stop(signum, _frame):
        sandbox.stop_all()  # the running sandboxes are killed; each worker then cleans up its own
        raise SystemExit(f"grade: stopped ({signal.Signals(signum).name}); the gradebook was not written")

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
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


def cell(value):
    """A gradebook cell a spreadsheet shows as text: a leading =, +, -, @, tab or CR would start a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_gradebook(results, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["submission", "exercise", "step", "points", "max_points", "feedback"])
        for r in results:
            for s in r["steps"]:
                w.writerow(
                    [
                        cell(r["submission"]),
                        cell(r["exercise"] or ""),
                        s["step"],
                        s["points"],
                        s["maxPoints"],
                        cell(s["feedback"]),
                    ]
                )
            if r["error"] and not r["steps"]:
                w.writerow([cell(r["submission"]), cell(r["exercise"] or ""), "notebook", 0, 0, cell(r["error"])])
            if r["notes"]:
                w.writerow([cell(r["submission"]), cell(r["exercise"] or ""), "run", 0, 0, cell("; ".join(r["notes"]))])


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
    args = ap.parse_args()
    if args.cmd == "grade":
        grade_all(args.paths, args.plan, args.out, args.timeout, args.memory, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
