#!/usr/bin/env python3
"""An nbgrader course made from the solution notebooks (./lab course).

  nbgrader_course.py [--full] [--timeout S] [--memory SIZE] DIR

Writes DIR/nbgrader_config.py and, for each exercise with graded steps, DIR/source/<exercise>/<notebook>,
then runs nbgrader's generate_assignment, which writes the learners' version to DIR/release/. From then on
it is an ordinary nbgrader course: `./lab nbgrader autograde 6.01` in DIR grades DIR/submitted/*/6.01/,
`./lab nbgrader generate_feedback 6.01` writes DIR/feedback/.

Grades come from the graders' trusted grading (tools/grading.py), not from what the check cells show: the
config replaces nbgrader's Execute in the autograde pipeline by tools/nbgrader_trusted.py's SandboxedExecute
(the submission runs in the sandbox, a separate JVM grades the objects it hands over) and TrustedGrades (each
check cell's outputs become the step's report and its trusted points, which nbgrader reads as partial
credit). nbgrader's other autograde steps stay. The plan of graded steps that SandboxedExecute reads is
written to DIR/plan.json; the sandbox never sees DIR.

What Java needs from nbgrader, set in the config:
- the solution regions become a stub that throws, so an unanswered step fails loudly instead of leaving a
  comment (nbgrader's default Java stub);
- cells get `--timeout` seconds (default: 600 in quick mode, 7200 in full mode) instead of nbgrader's 30; a
  cell still running then is interrupted and the rest run; the kernel gets `--memory` (default 3g);
- in quick mode the test-accuracy step is not graded (the library grades it in full mode only); in full
  mode its check cell ends in a hidden test (nbgrader's BEGIN/END HIDDEN TESTS) that the released notebook
  lacks, and its points are the trusted grader's accuracy step.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebooks import BEGIN  # noqa: E402  (the solution markers ./lab student reads)

ROOT = Path(__file__).resolve().parent.parent
STUB = '// YOUR CODE HERE\nthrow new UnsupportedOperationException("This \\"Code it!\\" step has no answer yet.");'

LIB_JAR = ROOT / "lib" / "target" / "rnnlab-0.1.0-SNAPSHOT.jar"
CLASSPATH_FILE = ROOT / "build" / "classpath.txt"
PLAN = "plan.json"

CONFIG = """# nbgrader course of the RNN lab, written by ./lab course ({mode} mode).
import os
import sys

# Kernels nbgrader starts itself (nbgrader validate) inherit these; autograde's sandbox sets its own.
os.environ["RNNLAB_MODE"] = {mode!r}
os.environ["RNNLAB_RESULTS"] = os.path.join({root!r}, "records")

c = get_config()
c.CourseDirectory.course_id = "rnnlab"
c.CourseDirectory.root = {root!r}
# An unanswered step throws rather than leaving only nbgrader's default Java stub, a comment.
c.ClearSolutions.code_stub = {{"java": {stub!r}}}
# Training cells take minutes, far beyond nbgrader's default of 30 s per cell.
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True

# Autograde: the submission runs in the graders' sandbox instead of nbgrader's Execute, and every check cell
# records the points of the graders' trusted grading (tools/nbgrader_trusted.py), not the cell's own value.
sys.path.insert(0, {tools!r})
import nbgrader_trusted  # noqa: E402

c.Autograde.autograde_preprocessors = nbgrader_trusted.autograde_preprocessors()
c.SandboxedExecute.plan = os.path.join({root!r}, {plan!r})
c.SandboxedExecute.mode = {mode!r}
c.SandboxedExecute.timeout = {timeout}
c.SandboxedExecute.memory = {memory!r}
"""


def write_plan(course, mode):
    """The library's graded steps for `mode` (java org.rnnlab.grade.Autograde), as DIR/plan.json."""
    if not LIB_JAR.is_file() or not CLASSPATH_FILE.is_file():
        raise SystemExit(f"nbgrader_course: no library build ({LIB_JAR}, {CLASSPATH_FILE}): run ./lab setup first")
    class_path = f"{LIB_JAR}:{CLASSPATH_FILE.read_text().strip()}"
    out = subprocess.run(
        ["java", "-cp", class_path, "org.rnnlab.grade.Autograde", mode], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"nbgrader_course: the library gave no plan (exit {out.returncode}): {out.stderr[-2000:]}")
    json.loads(out.stdout)  # a plan nbgrader could not read would fail every submission later
    (course / PLAN).write_text(out.stdout, encoding="utf-8")


def graded_exercises():
    """(exercise, solution path) for every solution notebook with graded cells."""
    found = []
    for path in sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any(c.metadata.get("nbgrader", {}).get("grade") for c in nb.cells):
            found.append((nb.metadata["rnnlab"]["exercise"], path))
    return found


def ungrade_results(nb):
    """Quick mode: the test-accuracy check stays in the notebook but is not graded (the library grades it
    in full mode only)."""
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade_id") == "check-results":
            meta.update(grade=False, locked=True)
            meta.pop("points", None)
    return nb


def keep_instruction(line):
    """A `// BEGIN SOLUTION: <instruction>` line as a `// Code it! <instruction>` line above a bare marker."""
    m = BEGIN.match(line)
    if not m or not m.group(2):
        return line
    return f"{m.group(1)}// Code it! {m.group(2).strip()}\n{m.group(1)}// BEGIN SOLUTION"


HIDDEN = """
// BEGIN HIDDEN TESTS
// The test accuracy the library measures on test reviews it loads itself, through the notebook's tokenizer.
// The cell's points are the trusted grader's own measurement (tools/nbgrader_trusted.py), as for every check.
Check.resultsOnTestData("{exercise}", model, tokenizer)
// END HIDDEN TESTS"""


def hide_results_test(nb, exercise):
    """Full mode: the results check cell gets a hidden test that the learner's released notebook lacks and
    the autograder restores. The visible check reads the learner's own report; the hidden one shows in the
    feedback the accuracy measured on the grader's test data. Neither decides the points: TrustedGrades
    replaces the cell's outputs with the trusted grader's results step."""
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == "check-results":
            c.source = c.source.rstrip() + HIDDEN.format(exercise=exercise)
    return nb


def source_notebook(path, mode):
    """The solution as nbgrader's source: each step's instruction stays as a `// Code it!` line above the
    region nbgrader clears; in quick mode the results check is shown but not graded, in full mode it ends in
    a hidden test."""
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.source = "\n".join(keep_instruction(line) for line in c.source.split("\n"))
    if mode == "quick":
        return ungrade_results(nb)
    return hide_results_test(nb, nb.metadata["rnnlab"]["exercise"])


def config(course, mode, timeout, memory):
    """The course's nbgrader_config.py."""
    return CONFIG.format(
        mode=mode,
        root=str(course.resolve()),
        stub=STUB,
        timeout=timeout,
        tools=str(ROOT / "tools"),
        plan=PLAN,
        memory=memory,
    )


def layout(course, mode, timeout, memory="3g"):
    course.mkdir(parents=True, exist_ok=True)
    write_plan(course, mode)
    (course / "nbgrader_config.py").write_text(config(course, mode, timeout, memory), encoding="utf-8")
    exercises = []
    for exercise, path in graded_exercises():
        target = course / "source" / exercise
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(path, mode), target / path.name)
        exercises.append(exercise)
    return exercises


def nbgrader(course, *args):
    """Runs nbgrader in the course folder; returns its exit code (its log goes to our stderr). nbgrader runs
    tools of its environment by name (alembic, when it creates the gradebook): that bin folder goes first on PATH."""
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.call([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("course")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--timeout", type=int)
    ap.add_argument("--memory", default="3g", help="memory of a submission's kernel in all (default 3g)")
    args = ap.parse_args()
    mode = "full" if args.full else "quick"
    timeout = args.timeout or (7200 if args.full else 600)
    course = Path(args.course)
    exercises = layout(course, mode, timeout, args.memory)
    failed = [e for e in exercises if nbgrader(course, "generate_assignment", e, "--force") != 0]
    print(json.dumps({"course": str(course.resolve()), "mode": mode, "assignments": exercises, "failed": failed}))
    if failed:
        print(f"generate_assignment failed for {failed}", file=sys.stderr)
        return 1
    print(
        f"Course in {course}: learners' notebooks in {course}/release/. Collect submissions into "
        f"{course}/submitted/<learner>/<exercise>/, then in {course}: ./lab nbgrader autograde <exercise> "
        "and ./lab nbgrader generate_feedback <exercise>.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
