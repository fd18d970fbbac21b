#!/usr/bin/env python3
"""Real nbgrader on the course (./lab test): an nbgrader course is laid out in quick mode, then

- every exercise's source notebook, submitted as is, autogrades to full marks;
- every released notebook, submitted untouched, autogrades to 0 without stopping the grader;
- the wrong 6.01 submissions of tools/grading_test.py get the same points per step as from ./lab grade
  (nbgrader reads each check's value as partial credit), with three differences of nbgrader's own: deleted
  check cells score 0 (nbgrader grades the cells that are there; ./lab grade runs its own checks), a
  submission that kills its kernel (System.exit) is refused with "Kernel died" and gets no grade, and an
  endless loop loses one cell, not the whole notebook (NBGRADER_POINTS); four are left out, said below;
- generate_feedback writes each learner's feedback page with the checks' hints;
- in a full-mode course, each results check ends in a hidden test (the grader's own accuracy measurement)
  that the released notebooks lack (laid out and released only: autograding it would train for an hour).

  nbgrader_test.py --out DIR
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import grading_test  # noqa: E402
import nbgrader_course  # noqa: E402

import notebooks  # noqa: E402

# Left out: the endless printer (nbgrader keeps every line a cell prints: its time limit would leave a notebook of
# gigabytes; ./lab grade keeps 2 MB). A corrupt file is refused by nbgrader before grading, with its own message,
# which is not a score to compare. The submission with its own test labels differs only in the accuracy step,
# which quick mode does not grade. The renamed model is renamed in the cell that assembles the network, a locked
# cell, whose source nbgrader restores.
LEFT_OUT = {"endless-output.ipynb", "6.01-corrupt.ipynb", "own-labels.ipynb", "renamed-model.ipynb"}
# Where nbgrader's points differ from ./lab grade's, and why. The endless loop: nbgrader interrupts the looping
# cell after its time limit (JJava stops the loop) and runs the rest, so the model is missing but the trainer's
# own settings count (3 of 5); ./lab grade limits the whole notebook and gives 0.
NBGRADER_POINTS = {"infinite-loop.ipynb": {"check-model": 0, "check-training": 3}}
TIMEOUT = 120


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", help="one exercise, e.g. 6.01 (default: every graded one)")
    args = ap.parse_args()
    course = Path(args.out).resolve()
    shutil.rmtree(course, ignore_errors=True)
    # Quick mode grades no accuracy, so the points do not depend on how long the notebooks train: two epochs
    # keep this test short (nbgrader's kernels inherit the cap; the trainer says it applies).
    os.environ["RNNLAB_MAX_EPOCHS"] = "2"
    exercises = [e for e in nbgrader_course.layout(course, "quick", TIMEOUT) if args.only in (None, e)]
    failures = []  # problems of the course as a whole
    wrong = {}  # (learner, exercise) -> its problems

    def fail(key, message):
        wrong.setdefault(key, []).append(message)

    for ex in exercises:
        if nbgrader_course.nbgrader(course, "generate_assignment", ex, "--force") != 0:
            failures.append(f"generate_assignment {ex} failed")

    # learner -> (exercise, notebook) submissions, and what each graded cell must score
    expected = {}  # (learner, exercise) -> {grade_id: points} (None: every graded cell's full points)

    def submit(learner, exercise, nb_or_path, name):
        folder = course / "submitted" / learner / exercise
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(nb_or_path, Path):
            shutil.copy(nb_or_path, folder / name)
        else:
            (folder / name).write_text(notebooks.serialize(nb_or_path), encoding="utf-8")

    for ex in exercises:
        source = next((course / "source" / ex).glob("*.ipynb"))
        submit("solver", ex, source, source.name)
        expected[("solver", ex)] = None
        submit("untouched", ex, course / "release" / ex / source.name, source.name)
        expected[("untouched", ex)] = "zero"
    for name, nb, steps, _ in grading_test.wrong_submissions():
        if name in LEFT_OUT:
            continue
        learner = Path(name).stem.replace(".", "-")
        # made from the repository's solution: the cells graded as the quick-mode course grades them
        submit(learner, "6.01", nbgrader_course.ungrade_results(nb), "6.01-simple-rnn.ipynb")
        expected[(learner, "6.01")] = NBGRADER_POINTS.get(name) or {
            f"check-{step}": points for step, (points, _, _) in steps.items()
        }
    expected[("deleted-checks", "6.01")] = "zero"
    crashed = expected.pop(("crash", "6.01"), None) is not None

    for ex in exercises:
        if (
            nbgrader_course.nbgrader(course, "autograde", ex, "--create", "--CourseDirectory.student_id_exclude=crash")
            != 0
        ):
            failures.append(f"autograde {ex} failed")
    if crashed:
        if nbgrader_course.nbgrader(course, "autograde", "6.01", "--create", "--student=crash") == 0:
            fail(("crash", "6.01"), "autograde accepted a submission whose kernel died")
        if (course / "autograded" / "crash" / "6.01").exists():
            fail(("crash", "6.01"), "an autograded copy was kept for a submission whose kernel died")
    for ex in exercises:
        if nbgrader_course.nbgrader(course, "generate_feedback", ex) != 0:
            failures.append(f"generate_feedback {ex} failed")

    from nbgrader.api import Gradebook

    print(f"{'learner':<20} {'exercise':<8} score")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "rnnlab") as gb:
        for (learner, ex), want in sorted(expected.items()):
            name = next((course / "source" / ex).glob("*.ipynb")).stem
            try:
                sub = gb.find_submission_notebook(name, ex, learner)
            except Exception as e:  # no such submission: autograde did not record it
                fail((learner, ex), f"not in the gradebook ({e})")
                continue
            grades = {g.cell.name: g for g in sub.grades if g.cell.name.startswith("check-")}
            got = {k: g.score for k, g in grades.items()}
            print(f"{learner:<20} {ex:<8} {sub.score:g}/{sub.max_score:g}  {got}")
            if want is None and sub.score != sub.max_score:
                fail((learner, ex), f"source notebook scored {sub.score}/{sub.max_score}: {got}")
            elif want == "zero" and sub.score != 0:
                fail((learner, ex), f"untouched notebook scored {sub.score}/{sub.max_score}: {got}")
            elif isinstance(want, dict):
                for cell, points in want.items():
                    if cell in grades and grades[cell].score != points:
                        fail((learner, ex), f"{cell}: {grades[cell].score} points, ./lab grade gives {points}")
            feedback = course / "feedback" / learner / ex / f"{name}.html"
            if not feedback.is_file():
                fail((learner, ex), f"no feedback page at {feedback}")
            elif learner == "untouched" and "✗" not in feedback.read_text(encoding="utf-8"):
                fail((learner, ex), "the feedback page shows no check hints")
    failures += hidden_test_problems(course.parent / (course.name + "-full"))
    for f in failures + [f"{learner} · {ex}: {m}" for (learner, ex), ms in sorted(wrong.items()) for m in ms]:
        print("FAIL", f, file=sys.stderr)
    submissions = set(expected) | ({("crash", "6.01")} if crashed else set())
    print(f"nbgrader: {len(submissions - set(wrong))} passed, {len(wrong) + len(failures)} failed")
    return 1 if failures or wrong else 0


def hidden_test_problems(course):
    """A full-mode course (laid out and released, not run: its training takes an hour): the results check of
    each source notebook ends in the hidden test, graded, and the released notebook lacks it."""
    shutil.rmtree(course, ignore_errors=True)
    problems = []
    for ex in nbgrader_course.layout(course, "full", 7200):
        if nbgrader_course.nbgrader(course, "generate_assignment", ex, "--force") != 0:
            problems.append(f"full-mode course: generate_assignment {ex} failed")
            continue
        for kind in ("source", "release"):
            nb = nbformat.read(next((course / kind / ex).glob("*.ipynb")), as_version=4)
            cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "check-results"]
            if not cells:
                continue  # an exercise without a results step (6.07)
            hidden = [c for c in cells if "Check.resultsOnTestData" in c.source]
            graded = [c for c in cells if c.metadata["nbgrader"].get("grade")]
            if kind == "source" and not (hidden and graded):
                problems.append(f"full-mode course {ex}: the source's results check has no graded hidden test")
            if kind == "release" and (hidden or any("HIDDEN" in c.source for c in cells)):
                problems.append(f"full-mode course {ex}: the released notebook shows the hidden test")
    return problems


if __name__ == "__main__":
    sys.exit(main())
