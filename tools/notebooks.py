#!/usr/bin/env python3
"""Notebook tooling for ./lab: headless execution, and exercise notebooks generated from solutions.

  notebooks.py execute --out DIR [--kernel NAME] NB...
                                         run each notebook through its kernel (or NAME); write the executed
                                         notebook and an HTML rendering to DIR; one line per notebook;
                                         exit 1 if any cell failed or wrote to stderr
  notebooks.py student NB...             write notebooks/exercises/<name> from notebooks/solutions/<name>
  notebooks.py check NB...               exit 1 if a committed exercise differs from what `student` writes
  notebooks.py results --records DIR... --plan PLAN.json [--readme README.md]
                                         the results table from the saved records (one folder per seed
                                         when several: mean and range), into the README's results section

In a solution's code cell, the lines between `// BEGIN SOLUTION: <instruction>` and
`// END SOLUTION` are what the learner writes; the exercise shows `// Code it! <instruction>` there.
`student` also writes nbgrader's cell metadata into the solution (the instructor's source version):
solution cells are editable, check cells (`Check.<step>(...)`) are graded tests worth the step's
points, every other cell is locked.
"""

import argparse
import atexit
import copy
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat

BEGIN = re.compile(r"^(\s*)// BEGIN SOLUTION(?::\s*(.*))?$")
CHECK = re.compile(r"^Check\.(\w+)\(")
# Points of each graded step in full mode; tools/grading_test.py checks them against the library's plan.
STEP_POINTS = {"model": 5, "training": 5, "results": 2, "layers": 3}
END = re.compile(r"^\s*// END SOLUTION\s*$")


# --- exercise generation ----------------------------------------------------------------------
def strip_solution(source, where):
    """The cell source with each solution region replaced by a `Code it!` placeholder."""
    out, inside = [], False
    for n, line in enumerate(source.split("\n"), 1):
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            if inside:
                sys.exit(f"{where}, line {n}: BEGIN SOLUTION inside another solution region")
            inside = True
            indent, instruction = begin.group(1), (begin.group(2) or "write this step").strip()
            out.append(f"{indent}// Code it! {instruction}")
        elif end:
            if not inside:
                sys.exit(f"{where}, line {n}: END SOLUTION without BEGIN SOLUTION")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        sys.exit(f"{where}: BEGIN SOLUTION is never closed by END SOLUTION")
    return "\n".join(out)


def nbgrader_metadata(cell, index):
    """nbgrader's metadata for a cell of a solution notebook (schema 3)."""
    meta = {
        "schema_version": 3,
        "task": False,
        "grade": False,
        "solution": False,
        "locked": True,
        "grade_id": f"cell-{index:02d}",
    }
    if cell.cell_type == "code" and any(BEGIN.match(line) for line in cell.source.split("\n")):
        meta.update(solution=True, locked=False, grade_id=f"solution-{index:02d}")
    elif cell.cell_type == "code" and CHECK.match(cell.source.strip()):
        step = CHECK.match(cell.source.strip()).group(1)
        if step in STEP_POINTS:
            meta.update(grade=True, grade_id=f"check-{step}", points=STEP_POINTS[step])
    return meta


def with_nbgrader(solution):
    """The solution notebook with nbgrader metadata on every cell."""
    nb = copy.deepcopy(solution)
    for i, cell in enumerate(nb.cells):
        cell.metadata["nbgrader"] = nbgrader_metadata(cell, i)
    return nb


def exercise_of(solution, name):
    """The exercise notebook made from a solution notebook: solutions replaced, outputs cleared."""
    nb = copy.deepcopy(solution)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.source = strip_solution(cell.source, f"{name}, cell {i}")
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    return nb


def exercise_path(solution_path):
    p = Path(solution_path).resolve()
    if p.parent.name != "solutions":
        sys.exit(f"{solution_path}: solution notebooks live in notebooks/solutions/")
    return p.parent.parent / "exercises" / p.name


def serialize(nb):
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def cmd_student(paths):
    for path in paths:
        solution = nbformat.read(path, as_version=4)
        marked = with_nbgrader(solution)
        if marked != solution:
            nbformat.write(marked, path)
            print(f"wrote nbgrader metadata into {path}")
        target = exercise_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(serialize(exercise_of(marked, path)), encoding="utf-8")
        print(f"wrote {target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
    return 0


def cmd_check(paths):
    stale = []
    for path in paths:
        solution = nbformat.read(path, as_version=4)
        if with_nbgrader(solution) != solution:
            stale.append(path)
        target = exercise_path(path)
        want = serialize(exercise_of(solution, path))
        if not target.exists() or target.read_text(encoding="utf-8") != want:
            stale.append(target)
    for t in stale:
        print(
            f"stale: {t} differs from what its solution generates (or lacks nbgrader metadata); run ./lab student",
            file=sys.stderr,
        )
    print(f"exercise notebooks: {len(paths) - len(stale)} passed, {len(stale)} failed")
    return 1 if stale else 0


# --- headless execution -----------------------------------------------------------------------
def problems(nb):
    """Error outputs and stderr text of an executed notebook, as (cell index, text) pairs."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append((i, f"{out.ename}: {out.evalue}"))
            elif out.output_type == "stream" and out.name == "stderr" and out.text.strip():
                found.append((i, "stderr: " + out.text.strip().splitlines()[0]))
    return found


def apply_carriage_returns(text):
    """What a terminal shows for text with carriage returns: each line keeps what follows its last \\r."""
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def coalesce_streams(nb):
    """Merge consecutive stream outputs of a cell (the kernel sends printf in pieces) and apply \\r,
    so a saved notebook shows each progress bar once, as the live notebook does."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if (
                out.output_type == "stream"
                and merged
                and merged[-1].output_type == "stream"
                and merged[-1].name == out.name
            ):
                merged[-1].text += out.text
            else:
                merged.append(out)
        for out in merged:
            if out.output_type == "stream":
                out.text = apply_carriage_returns(out.text)
        if "outputs" in cell:
            cell.outputs = merged


def execute_one(path, out_dir, timeout, kernel=None):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    target = out_dir / Path(path).resolve().parent.name
    target.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    crash = None
    # The kernel's own output (JVM warnings, its log) goes to a log beside the executed notebook.
    with open(target / Path(path).with_suffix(".kernel.log").name, "w") as log:
        client = NotebookClient(
            nb,
            timeout=timeout,
            startup_timeout=60,
            kernel_name=kernel or nb.metadata.get("kernelspec", {}).get("name", "rnnlab"),
            resources={"metadata": {"path": str(Path(path).resolve().parent)}},
        )
        try:
            client.execute(stdout=log, stderr=log)
        except CellExecutionError:
            pass  # the error output is in the notebook and reported below
        except (DeadKernelError, TimeoutError, RuntimeError) as e:
            crash = f"{type(e).__name__}: {e}"
        finally:
            atexit.unregister(client._cleanup_kernel)  # execute() has shut its kernel down already
    seconds = time.monotonic() - start
    coalesce_streams(nb)
    nbformat.write(nb, target / Path(path).name)
    html, _ = HTMLExporter().from_notebook_node(nb)
    (target / Path(path).with_suffix(".html").name).write_text(html, encoding="utf-8")
    found = problems(nb) + ([(-1, crash)] if crash else [])
    return seconds, found


def runs_last(path):
    """Whether a notebook reads what the others save (the comparison reads their result records)."""
    return bool(nbformat.read(path, as_version=4).metadata.get("rnnlab", {}).get("reads_records"))


SOLUTIONS = Path(__file__).resolve().parent.parent / "notebooks" / "solutions"


def resolve(names):
    """Notebook paths from what a user typed: a path, or a solution's name or id such as 6.02 or 6.02-lstm."""
    found = []
    for name in names:
        if Path(name).is_file():
            found.append(name)
            continue
        stem = Path(name).name.removesuffix(".ipynb")
        matches = sorted(SOLUTIONS.glob(f"{stem}*.ipynb"))
        if len(matches) != 1:
            known = ", ".join(m.stem.split("-")[0] for m in sorted(SOLUTIONS.glob("*.ipynb")))
            what = "matches several" if matches else "is neither a notebook file nor a solution's id"
            sys.exit(f"error: '{name}' {what}; give a path or one of: {known}")
        found.append(str(matches[0]))
    return found


def default_jobs():
    """Notebooks run at a time unless told: the cores, at most 4."""
    return min(os.cpu_count() or 1, 4)


def kernel_threads(jobs):
    """Threads each kernel's trainer uses when `jobs` notebooks run at a time: RNNLAB_THREADS where set, otherwise
    the cores shared out, so that kernels side by side do not fight over them."""
    return int(os.environ.get("RNNLAB_THREADS") or max(1, (os.cpu_count() or 1) // max(1, jobs)))


def cmd_execute(paths, out, timeout, kernel=None, jobs=1):
    """Runs the notebooks, `jobs` at a time (the cores shared out between their kernels, see kernel_threads);
    those that read the others' records run after all the rest."""
    from concurrent.futures import ProcessPoolExecutor

    out_dir = Path(out)
    failed = 0
    mode = os.environ.get("RNNLAB_MODE", "full")
    threads = kernel_threads(jobs)
    os.environ["RNNLAB_THREADS"] = str(threads)  # the kernels inherit it
    print(
        f"Executing {len(paths)} notebook(s) in {mode} mode, {jobs} at a time on {threads} thread(s) each;"
        f" results in {out_dir}",
        flush=True,
    )
    last = [p for p in paths if runs_last(p)]
    waves = [[p for p in paths if p not in last], last]
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        for wave in waves:
            futures = {pool.submit(execute_one, path, out_dir, timeout, kernel): path for path in wave}
            for future in futures:  # reported in the order given
                seconds, found = future.result()
                rel = "/".join(Path(futures[future]).resolve().parts[-2:])
                print(f"{'ok  ' if not found else 'FAIL'}  {rel:<48} {seconds:7.1f} s", flush=True)
                for cell, text in found[:5]:
                    print(f"        cell {cell}: {text[:300]}", flush=True)
                failed += bool(found)
    print(f"notebooks: {len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


# --- results table for the README ---------------------------------------------------------------


def keras_accuracies(plan):
    """The Keras originals' accuracies by exercise, from the library's exercise plan (./lab writes it)."""
    exercises = json.loads(Path(plan).read_text())
    return {ex: e["keras"] for ex, e in exercises.items() if e.get("keras") is not None}


BEGIN_RESULTS, END_RESULTS = "<!-- results:begin -->", "<!-- results:end -->"


def machine_line(records, seeds):
    from machine import cpu_model, java_version

    java = java_version()
    cpu = cpu_model()
    runs = (
        "One run per model (seed 42)."
        if not seeds
        else f"{len(seeds)} runs per model (seeds {', '.join(seeds)}): mean, and the range from lowest to highest."
    )
    full = all(r.get("mode") == "full" for r in records)
    return (
        f"Measured by `./lab run{' --full' if full else ''}{' --seeds ' + ','.join(seeds) if seeds else ''}` on "
        f"{max(r['date'] for r in records)}: {os.cpu_count()} cores ({cpu}), {java}, DL4J 1.0.0-M2.1, "
        f"`OMP_NUM_THREADS=1`, {default_jobs()} notebooks at a time, each training on "
        f"{kernel_threads(default_jobs())} thread(s). {runs}"
    )


def results_table(folders, keras_by_exercise):
    """A markdown table of the saved exercise records in `folders` (one folder per seed when several),
    with the Keras originals beside them."""
    by_exercise = {}
    seeds = []
    for folder in folders:
        files = sorted(Path(folder).glob("*.json"))
        if files and len(folders) > 1:
            seeds.append(Path(folder).parent.name)
        for p in files:
            r = json.loads(p.read_text())
            by_exercise.setdefault(r["exercise"], []).append(r)
    if not by_exercise:
        return None
    records = [r for rs in by_exercise.values() for r in rs]
    lines = [machine_line(records, seeds), ""]
    if not seeds:
        lines += [
            "| exercise | model | recurrent params | epochs | training time | test accuracy, last epoch | "
            "test accuracy, best validation epoch (epoch) | Keras original |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for ex in sorted(by_exercise):
            r = by_exercise[ex][0]
            keras = keras_by_exercise.get(ex)
            lines.append(
                f"| {ex} | {r['model']} | {r['recurrentParams']:,} | {r['epochs']} | "
                f"{r['trainingSeconds'] / 60:.1f} min | {100 * r['testAccuracyLast']:.2f} % | "
                f"{100 * r['testAccuracyBest']:.2f} % ({r['bestEpoch']}) | "
                f"{'' if keras is None else f'{keras:.2f} %'} |"
            )
        return "\n".join(lines)

    def spread(values):
        v = [100 * x for x in values]
        return f"{sum(v) / len(v):.2f} % ({min(v):.2f}–{max(v):.2f})"

    lines += [
        "| exercise | model | recurrent params | epochs | runs | training time, mean | test accuracy, last epoch | "
        "test accuracy, best validation epoch | Keras original |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for ex in sorted(by_exercise):
        rs = by_exercise[ex]
        r = rs[0]
        keras = keras_by_exercise.get(ex)
        lines.append(
            f"| {ex} | {r['model']} | {r['recurrentParams']:,} | {r['epochs']} | {len(rs)} | "
            f"{sum(x['trainingSeconds'] for x in rs) / len(rs) / 60:.1f} min | "
            f"{spread([x['testAccuracyLast'] for x in rs])} | {spread([x['testAccuracyBest'] for x in rs])} | "
            f"{'' if keras is None else f'{keras:.2f} %'} |"
        )
    return "\n".join(lines)


def cmd_results(folders, readme, plan):
    table = results_table(folders, keras_accuracies(plan))
    if table is None:
        print(f"no result records in {', '.join(map(str, folders))}: nothing to write", file=sys.stderr)
        return 1
    if readme is None:
        print(table)
        return 0
    text = Path(readme).read_text(encoding="utf-8")
    if BEGIN_RESULTS not in text or END_RESULTS not in text:
        sys.exit(f"{readme} has no {BEGIN_RESULTS} ... {END_RESULTS} section")
    head, rest = text.split(BEGIN_RESULTS, 1)
    _, tail = rest.split(END_RESULTS, 1)
    Path(readme).write_text(f"{head}{BEGIN_RESULTS}\n{table}\n{END_RESULTS}{tail}", encoding="utf-8")
    print(f"{readme}: results table updated from {', '.join(map(str, folders))}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("execute")
    ex.add_argument("--out", required=True)
    ex.add_argument("--timeout", type=int, default=int(os.environ.get("RNNLAB_CELL_TIMEOUT", "3600")))
    ex.add_argument("--kernel", help="run on this kernelspec instead of the one the notebook names")
    ex.add_argument(
        "--jobs",
        type=int,
        default=default_jobs(),
        help="notebooks run at a time (default: the cores, at most 4)",
    )
    ex.add_argument("notebooks", nargs="+")
    sub.add_parser("student").add_argument("notebooks", nargs="+")
    sub.add_parser("check").add_argument("notebooks", nargs="+")
    res = sub.add_parser("results")
    res.add_argument("--records", required=True, nargs="+", help="folders of records; one per seed for several")
    res.add_argument("--readme", help="README to rewrite the results section of (default: print the table)")
    res.add_argument("--plan", required=True, help="the library's exercise plan (JSON), for the Keras accuracies")
    args = ap.parse_args()
    if args.cmd == "execute":
        return cmd_execute(resolve(args.notebooks), args.out, args.timeout, args.kernel, args.jobs)
    if args.cmd == "results":
        return cmd_results(args.records, args.readme, args.plan)
    return {"student": cmd_student, "check": cmd_check}[args.cmd](args.notebooks)


if __name__ == "__main__":
    sys.exit(main())
