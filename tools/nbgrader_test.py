#!/usr/bin/env python3
"""Real nbgrader on the course (./lab test): an nbgrader course is laid out in quick mode, then

- every exercise's source notebook, submitted as is, autogrades to full marks;
- every released notebook, submitted untouched, autogrades to 0 without stopping the grader;
- the wrong 6.01 submissions of tools/grading_test.py get the same points per step as from ./lab grade (both
  record the trusted grading of tools/grading.py: nbgrader through tools/nbgrader_trusted.py), with three
  differences of nbgrader's own: deleted check cells score 0 (nbgrader records points in the grade cells
  that are there; its OverwriteCells.add_missing_cells cannot put back a check cell that follows a plain
  locked cell), a submission that kills its kernel (System.exit) is refused with "Kernel died" and gets no
  grade, and an endless loop loses one cell, not the whole notebook (NBGRADER_POINTS); four are left out,
  said below;
- submissions that forge the checks score as the trusted grader says: the released 6.01 notebook with a
  variable `Check`, or a class `Check` whose checks return full points, scores 0; the solution with
  variables `Check`, `org` and `Autograde` declared at its end keeps full marks;
- every hostile submission of tools/hostile_test.py (its cells appended to the released 6.01 notebook) is a
  learner of its own and scores 0 (one that kills its kernel may be refused instead); in the same autograde
  run, graded after them, the solver and the shadowing solver keep full marks; none of them changes the
  course's grading state, reads the instructor's secret, reaches the host's network or leaves a process;
- generate_feedback writes each learner's feedback page with the checks' hints;
- in a full-mode course, each results check ends in a hidden test (the grader's own accuracy measurement)
  that the released notebooks lack (laid out and released only: autograding it would train for an hour).

  nbgrader_test.py --out DIR [--only EXERCISE]
"""

import argparse
import copy
import json
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import grading_test  # noqa: E402
import hostile_test  # noqa: E402
import nbgrader_course  # noqa: E402

import notebooks  # noqa: E402

# Left out: the endless printer (nbgrader keeps every line a cell prints: its time limit would leave a notebook of
# gigabytes; ./lab grade keeps 2 MB). A corrupt file is refused by nbgrader before grading, with its own message,
# which is not a score to compare. The submission with its own test labels differs only in the accuracy step,
# which quick mode does not grade. The renamed model is renamed in the cell that assembles the network, a locked
# cell, whose source nbgrader restores.
LEFT_OUT = {"endless-output.ipynb", "6.01-corrupt.ipynb", "own-labels.ipynb", "renamed-model.ipynb"}
# Where nbgrader's points differ from ./lab grade's, and why. The endless loop: under nbgrader each cell has its
# own time limit (SandboxedExecute runs the notebook cell by cell, as nbgrader's Execute does), so the looping cell
# is interrupted (JJava stops the loop) and the rest run: the model is missing but the trainer's own settings
# count (3 of 5); ./lab grade limits the whole notebook and gives 0.
NBGRADER_POINTS = {"infinite-loop.ipynb": {"check-model": 0, "check-training": 3}}
TIMEOUT = 120
FORGED_CHECK = (
    "class Check { static Double model(Object... a) { return 5.0; } "
    "static Double training(Object... a) { return 5.0; } }"
)
SHADOWING = 'Object Check = null;\nString org = "";\nObject Autograde = null;'  # after the learner's last cell
# Hostile cases that may kill their own kernel: nbgrader refuses a dead kernel's submission (as with `crash`), which
# fails the whole autograde command, so each is autograded by itself and may be refused or score 0.
HOSTILE_ALONE = {"kill-grader.ipynb"}
# Not taken from tools/hostile_test.py: other-exercise (another exercise's notebook handed in as 6.01, which its
# main() adds beside cases()). ./lab grade must pick the exercise from the file; nbgrader_trusted grades the
# assignment nbgrader names and never reads the notebook's metadata, which the solver and untouched learners
# already exercise.
HOSTILE_SKIPPED = {"other-exercise.ipynb"}
HONEST = ("shadowing-solver", "solver")  # graded again after the hostile learners, in their autograde run


def with_cell(path, source, after=None):
    """The notebook at `path` with a code cell added: after the first cell that contains `after`, else at its end."""
    nb = nbformat.read(path, as_version=4)
    at = next((i + 1 for i, c in enumerate(nb.cells) if after and after in c.source), len(nb.cells))
    nb.cells.insert(at, nbformat.v4.new_code_cell(source))
    return nb


def forged_submissions(course):
    """(learner, 6.01 notebook, expectation) for submissions that try to take over the checks. A cell right after
    the imports turns every check into the learner's: a variable `Check`, or a class `Check` whose checks
    return full points. Names declared after the learner's last cell must not stop the grader's hand-over."""
    source = next((course / "source" / "6.01").glob("*.ipynb"))
    release = course / "release" / "6.01" / source.name
    imports = "import org.rnnlab.grade.Check;"
    return [
        ("check-variable", with_cell(release, 'String Check = "";', after=imports), "zero"),
        ("check-class", with_cell(release, FORGED_CHECK, after=imports), "zero"),
        (
            "shadowing-solver",
            with_cell(source, SHADOWING),
            None,
        ),
    ]


def released_case(case, release, exercise_cells):
    """A hostile_test case as nbgrader would receive it: the cells it adds after the repository's exercise,
    appended to the course's released notebook (whose cells carry the ids and checksums nbgrader checks).
    None where the case changes the exercise's own cells instead of adding after them."""
    if [c.source for c in case.cells[: len(exercise_cells)]] != [c.source for c in exercise_cells]:
        return None
    nb = nbformat.read(release, as_version=4)
    nb.cells.extend(copy.deepcopy(case.cells[len(exercise_cells) :]))
    return nb


def solver_score(course, learner="solver", exercise="6.01"):
    """(score, max score) of a learner's notebook in the course's gradebook, or None when it has none."""
    from nbgrader.api import Gradebook

    name = next((course / "source" / exercise).glob("*.ipynb")).stem
    try:
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "rnnlab") as gb:
            sub = gb.find_submission_notebook(name, exercise, learner)
            return sub.score, sub.max_score
    except Exception:  # no gradebook, or no such submission
        return None


def outputs_of(path):
    """Every output of a notebook's cells, as one text (streams, results, errors alike)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # an unreadable autograded copy says so instead of hiding a leak
        return f"unreadable: {e}"
    return json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)


def grade_hostile(course, submit, expected, fail, failures):
    """Submits every case of tools/hostile_test.py as a learner hostile-<case> of 6.01 and autogrades them, the
    honest learners after them in the same run; checks what they got and what they could reach. Returns the
    learners nbgrader refused (their kernel died)."""
    source = course / "source" / "6.01" / "6.01-simple-rnn.ipynb"
    release = course / "release" / "6.01" / source.name
    # The instructor's files beside the source notebook (hidden test data, say): nbgrader's autograde copies
    # them into each learner's autograded folder, where its own Execute would run the notebook. Written after
    # generate_assignment, so no learner was given it.
    secret = source.parent / "secret.txt"
    secret.write_text(hostile_test.SECRET, encoding="utf-8")
    state = [
        course / "gradebook.db",
        course / nbgrader_course.PLAN,
        course / "nbgrader_config.py",
        source,
        secret,
        course / "submitted" / "solver" / "6.01" / source.name,
        Path(__file__).resolve(),
    ]
    listener = hostile_test.Listener()
    targets = {
        "write": [str(p) for p in state],
        "read": [str(p) for p in state[:-1]] + ["secret.txt"],  # the last: where nbgrader's Execute would run
        "port": listener.port,
        "link": str(secret),  # a link the grader must not follow after the run
    }
    exercise_cells = nbformat.read(hostile_test.EXERCISE, as_version=4).cells
    learners = {}  # learner -> case name
    for case in hostile_test.cases(targets):
        name, nb = case[0], case[1]
        if name in HOSTILE_SKIPPED:
            continue
        learner = "hostile-" + name.removesuffix(".ipynb")
        adapted = released_case(nb, release, exercise_cells)
        if adapted is None:
            fail((learner, "6.01"), "the case changes the exercise's cells: it cannot be moved onto the release")
            continue
        submit(learner, "6.01", adapted, source.name)
        learners[learner] = name
        expected[(learner, "6.01")] = "zero"
    before = {p: p.read_bytes() for p in state if p.name != "gradebook.db"}
    solver_before = solver_score(course)

    # One run for the hostile learners, then the honest ones again (--force: they were graded already); nbgrader
    # goes through the submissions in sorted order, so hostile-* come first.
    alone = sorted(learner for learner, name in learners.items() if name in HOSTILE_ALONE)
    others = [d.name for d in (course / "submitted").iterdir() if d.name not in learners and d.name not in HONEST]
    start = time.monotonic()
    exclude = ",".join(sorted(others + alone))
    if (
        nbgrader_course.nbgrader(
            course, "autograde", "6.01", "--create", "--force", f"--CourseDirectory.student_id_exclude={exclude}"
        )
        != 0
    ):
        failures.append("autograde of the hostile submissions failed")
    refused = set()
    for learner in alone:
        if nbgrader_course.nbgrader(course, "autograde", "6.01", "--create", f"--student={learner}") != 0:
            refused.add(learner)  # its kernel died: no grade, like `crash`
            expected.pop((learner, "6.01"), None)
    seconds = time.monotonic() - start
    listener.close()
    print(
        f"hostile submissions: {len(learners)} autograded in {seconds:.0f} s ({', '.join(refused) or 'none'} refused)"
    )

    for p, data in before.items():
        if p.read_bytes() != data:
            failures.append(f"hostile submissions: {p} was changed")
    solver_after = solver_score(course)
    if solver_before is None or solver_after != solver_before or solver_after[0] != solver_after[1]:
        failures.append(f"hostile submissions: the solver's score went from {solver_before} to {solver_after}")
    if listener.connections:
        failures.append(f"hostile submissions: the host's loopback got {listener.connections} connection(s)")
    for tag, case in (("sleep 7331", "setsid"), ("sleep 600", "fork-flood")):
        if hostile_test.sleepers(tag):
            fail((f"hostile-{case}", "6.01"), f"its processes ({tag}) are still running after autograde")
    for path in sorted((course / "autograded").glob("*/6.01/*.ipynb")):
        learner = path.parent.parent.name
        text = outputs_of(path)
        if hostile_test.SECRET in text:
            fail((learner, "6.01"), f"the secret of {secret} is in the outputs of {path}")
        if learner in learners and ("READ " in text or "WROTE " in text):
            fail((learner, "6.01"), "it read or wrote the grading state")
    # The outputs came back (or the two checks above would pass on nothing): the cases say what was refused.
    for learner, said in (("hostile-grading-state", "refused "), ("hostile-network", "no network")):
        if learner in learners and said not in outputs_of(course / "autograded" / learner / "6.01" / source.name):
            fail((learner, "6.01"), f"its autograded notebook does not show {said.strip()!r}")
    return refused


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
    if "6.01" in exercises:
        for learner, nb, want in forged_submissions(course):
            submit(learner, "6.01", nb, "6.01-simple-rnn.ipynb")
            expected[(learner, "6.01")] = want
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
    refused = grade_hostile(course, submit, expected, fail, failures) if "6.01" in exercises else set()
    for ex in exercises:
        if nbgrader_course.nbgrader(course, "generate_feedback", ex) != 0:
            failures.append(f"generate_feedback {ex} failed")

    from nbgrader.api import Gradebook

    print(f"{'learner':<26} {'exercise':<8} score")
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
            print(f"{learner:<26} {ex:<8} {sub.score:g}/{sub.max_score:g}  {got}")
            if want is None and sub.score != sub.max_score:
                fail((learner, ex), f"source notebook scored {sub.score}/{sub.max_score}: {got}")
            elif want == "zero" and sub.score != 0:
                fail((learner, ex), f"scored {sub.score}/{sub.max_score}, where 0 is due: {got}")
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
    submissions = set(expected) | ({("crash", "6.01")} if crashed else set()) | {(r, "6.01") for r in refused}
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
