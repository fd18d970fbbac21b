#!/usr/bin/env python3
"""The graded build of the course library (./lab test): what learners' kernels load when an instructor sets
RNNLAB_GRADED=1, and what the graders (./lab grade, ./lab nbgrader) always run submissions with.

- No solution text is reachable from its class path: every jar and folder of the graded kernelspec's
  JJAVA_CLASSPATH is read entry by entry (native libraries aside), and none holds a solution notebook, a
  whole solution region or one of its longer lines. The same scan of the practice build must find them (so the
  scan can fail).
- In a graded kernel, Check.solution says solutions are withheld, the last hint says so instead of pointing
  at Check.solution, and the exercises' reference networks (which are the solutions) are refused; in a
  practice kernel Check.solution prints the code.

  graded_build_test.py --graded DIR --practice DIR     (the two kernelspec folders, each with kernels/rnnlab)
"""

import argparse
import json
import os
import re
import sys
import zipfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebooks import BEGIN, END  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MIN_LINE = 40  # shorter solution lines (".build())", "model.init();") are everyday DL4J, not a solution


def solution_texts():
    """Whole solution regions (whitespace collapsed) and their longer lines, from every solution notebook."""
    regions, lines = set(), set()
    for path in sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            region = None
            for line in cell.source.splitlines():
                if BEGIN.match(line):
                    region = []
                elif END.match(line) and region is not None:
                    regions.add(" ".join(" ".join(region).split()))
                    region = None
                elif region is not None:
                    region.append(line)
                    if len(line.strip()) >= MIN_LINE:
                        lines.add(line.strip())
    return regions, lines


def class_path(kernels_dir):
    spec = json.loads((Path(kernels_dir) / "kernels" / "rnnlab" / "kernel.json").read_text())
    return [p for p in spec["env"]["JJAVA_CLASSPATH"].split(":") if p]


NATIVE = (".so", ".dll", ".dylib", ".jnilib", ".a", ".lib")


def contents(entry):
    """(name, text) of every file of a class-path entry (a jar or a folder), native libraries aside."""
    p = Path(entry)
    if p.is_dir():
        for f in p.rglob("*"):
            if f.is_file() and not f.name.endswith(NATIVE):
                yield str(f), f.read_bytes().decode("utf-8", "replace")
    elif p.is_file():
        with zipfile.ZipFile(p) as z:
            for info in z.infolist():
                if not info.is_dir() and not info.filename.endswith(NATIVE):
                    yield f"{p.name}!{info.filename}", z.read(info).decode("utf-8", "replace")


def reachable_solutions(entries, regions, lines):
    """What of the solutions the class path holds, one line per finding."""
    found = []
    for entry in entries:
        for name, text in contents(entry):
            if name.endswith(".ipynb") and "BEGIN SOLUTION" in text:
                found.append(f"{name}: a solution notebook")
                continue
            flat = " ".join(text.split())
            found += [f"{name}: a solution region" for r in regions if r and r in flat][:1]
            found += [f"{name}: the solution line {line!r}" for line in lines if line in text][:1]
    return found


CELLS = [
    'org.rnnlab.grade.Check.solution("6.01", "model");',
    'org.rnnlab.grade.Check.hint("6.01", "model", 2);',
    'try { org.rnnlab.grade.ReferenceModels.build("6.01", 1); System.out.println("BUILT"); }\n'
    'catch (IllegalStateException e) { System.out.println("REFUSED: " + e.getMessage()); }',
]


def run_cells(kernels_dir):
    """The text each of CELLS prints in a kernel of the kernelspec in `kernels_dir`."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
    old = os.environ.get("JUPYTER_PATH", "")
    os.environ["JUPYTER_PATH"] = str(kernels_dir) + (os.pathsep + old if old else "")
    try:
        NotebookClient(nb, kernel_name="rnnlab", timeout=120, startup_timeout=90).execute()
    finally:
        os.environ["JUPYTER_PATH"] = old
    return ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--graded", required=True)
    ap.add_argument("--practice", required=True)
    args = ap.parse_args()
    problems = []
    regions, lines = solution_texts()
    if len(regions) < 6:
        problems.append(f"only {len(regions)} solution regions found in notebooks/solutions")

    found = reachable_solutions(class_path(args.graded), regions, lines)
    problems += [f"graded build: {f}" for f in found]
    if not any("solution notebook" in f for f in reachable_solutions(class_path(args.practice), regions, lines)):
        problems.append("the scan found no solution notebook in the practice build either: it would miss them")

    solution, hint, reference = run_cells(args.graded)
    if "graded build" not in solution or "BEGIN" in solution or "LastTimeStep" in solution:
        problems.append(f"graded Check.solution printed: {solution!r}")
    if "graded assignment" not in hint or "Check.solution" in hint:
        problems.append(f"graded Check.hint (last level) printed: {hint!r}")
    if not reference.startswith("REFUSED") or "graded build" not in reference:
        problems.append(f"graded ReferenceModels.build: {reference!r}")

    solution, hint, reference = run_cells(args.practice)
    if not re.search(r"Solution of 6\.01 · model.*new LastTimeStep\(new SimpleRnn\.Builder\(\)", solution, re.S):
        problems.append(f"practice Check.solution printed: {solution!r}")
    if 'Check.solution("6.01", "model")' not in hint:
        problems.append(f"practice Check.hint (last level) printed: {hint!r}")
    if not reference.startswith("BUILT"):
        problems.append(f"practice ReferenceModels.build: {reference!r}")

    for p in problems:
        print("FAIL", p)
    print(
        f"graded build: {len(regions)} solution regions, {len(lines)} solution lines looked for; "
        f"{len(problems)} problem(s)"
    )
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
