"""nbgrader preprocessors through which nbgrader's autograder records the trusted grader's points
(tools/grading.py) rather than whatever a submission's check cells show.

Left alone, nbgrader's autograde (nbgrader/converters/autograde.py) runs the notebook with its `Execute`
preprocessor, as the grader's own user and unsandboxed, then scores each grade cell by its outputs
(nbgrader/utils.py, determine_grade): an error or a stderr stream gives 0, a result that reads as a number
gives that many points, anything else full marks. Every one of these outputs is the submission's to shape
(a variable named `Check` in an answer cell leaves the check cells without a value: full marks). Here:

- `SandboxedExecute` takes `Execute`'s place: the notebook runs in the graders' sandbox, the objects its
  steps grade are handed over and graded by a JVM that runs no learner code, and the learner's own outputs
  come back only as feedback. A kernel that died makes autograde refuse the submission, as `Execute` does.
- `TrustedGrades` follows it and rewrites every autograded cell's outputs: the step's report, then the
  step's trusted points as the cell's only result, which nbgrader's partial-credit rule reads as exactly
  those points.

tools/nbgrader_course.py's config registers both (`autograde_preprocessors()`: nbgrader's own list, with
`Execute` replaced) and points `SandboxedExecute` at the course's plan (plan.json, the library's list of
graded steps), which the sandbox never sees.
"""

import json
import os
import sys
from pathlib import Path

import nbformat
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbformat.v4.nbbase import validate
from nbgrader import utils
from nbgrader.converters.base import NbGraderException
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Integer, Unicode, default

sys.path.insert(0, str(Path(__file__).resolve().parent))
import grading  # noqa: E402

TRUSTED = "rnnlab_trusted_steps"  # the key under which SandboxedExecute leaves the steps in nbgrader's resources
CHECK_PREFIX = "check-"  # an autograded check cell's grade_id is check-<step>


# --- running the submission --------------------------------------------------------------------
def read_plan(path):
    """The plan nbgrader_course.py wrote (the library's graded steps per exercise)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise NbGraderException(
            f"no readable plan of the graded steps at {path!r} ({e}): make the course again with ./lab course"
        ) from e


def assignment_exercise(resources, plan):
    """The exercise to grade: nbgrader's assignment id, which the course decides (never the notebook's metadata)."""
    exercise = resources["nbgrader"]["assignment"]
    if exercise not in grading.exercises_of(plan):
        raise NbGraderException(f"the plan has no graded exercise {exercise!r}: nothing could grade this assignment")
    return exercise


def bound_folder(folder, jupyter_path):
    """The path the sandbox binds that holds `folder` (the course's), or None. The plan, the sources with their
    solutions and the gradebook must stay out of the submission's reach."""
    spec_dir, spec = grading.kernelspec(jupyter_path)
    folder = Path(folder).resolve()
    for p in grading.readable_paths(spec, spec_dir, jupyter_path):
        if folder == Path(p).resolve() or Path(p).resolve() in folder.parents:
            return p
    return None


def kernel_died(graded):
    return bool(graded.error) and "kernel died" in graded.error.lower()


def valid_outputs(outputs):
    """The outputs that are well-formed nbformat outputs; the rest is dropped (the executed notebook is the
    submission's to rewrite, and nbgrader's later preprocessors expect well-formed ones)."""
    kept = []
    for out in outputs if isinstance(outputs, list) else []:
        try:
            if isinstance(out, dict):
                node = nbformat.from_dict(out)
                validate(node, "output")
                kept.append(node)
        except Exception:  # any way a forged output is malformed
            continue
    return kept


def copy_outputs(nb, executed, log):
    """Copies the executed notebook's outputs into nbgrader's notebook, code cell by code cell. They are the
    submission's and untrusted: feedback for the learner, never a grade. Nothing is copied when the executed
    notebook's cells do not match nbgrader's."""
    if executed is None:
        log.warning("the sandbox returned no executed notebook: the submission's outputs are not shown")
        return
    cells = executed.get("cells") if isinstance(executed, dict) else None
    if not isinstance(cells, list) or len(cells) != len(nb.cells):
        log.warning("the executed notebook's cells do not match the submission's: its outputs are not shown")
        return
    for cell, ran in zip(nb.cells, cells):
        if cell.cell_type != "code" or not isinstance(ran, dict) or ran.get("cell_type") != "code":
            continue
        cell.outputs = valid_outputs(ran.get("outputs"))
        count = ran.get("execution_count")
        cell.execution_count = count if isinstance(count, int) and not isinstance(count, bool) else None


class SandboxedExecute(NbGraderPreprocessor):
    """Runs the notebook in the graders' sandbox and grades it there (tools/grading.py), in place of nbgrader's
    Execute. Leaves the trusted steps in resources[TRUSTED] for TrustedGrades."""

    plan = Unicode("", help="The course's plan.json: the graded steps (java org.rnnlab.grade.Autograde).").tag(
        config=True
    )
    mode = Unicode("quick", help="The grading mode the plan was written for: quick or full.").tag(config=True)
    timeout = Integer(600, help="Seconds each cell may run; a cell still running is interrupted.").tag(config=True)
    memory = Unicode("3g", help="Memory of the submission's kernel in all, e.g. 3g.").tag(config=True)
    jupyter_path = Unicode(help="Where the graders' kernelspec (rnnlab) is found, as in JUPYTER_PATH.").tag(config=True)

    @default("jupyter_path")
    def _jupyter_path_default(self):
        return os.environ.get("JUPYTER_PATH", "")

    def preprocess(self, nb, resources):
        plan = read_plan(self.plan)
        exercise = assignment_exercise(resources, plan)
        exposed = bound_folder(Path(self.plan).parent, self.jupyter_path)
        if exposed:
            raise NbGraderException(
                f"the course folder {Path(self.plan).parent} lies inside {exposed}, which the sandbox shows "
                "submissions: move the course elsewhere"
            )
        graded = grading.grade(
            nb,
            exercise,
            plan,
            mode=self.mode,
            timeout=self.timeout,
            memory=self.memory,
            jupyter_path=self.jupyter_path,
            per_cell=True,
        )
        if kernel_died(graded):
            # nbgrader's own Execute lets nbclient's error through: autograde then keeps no grade and no copy.
            raise DeadKernelError(f"Kernel died: {graded.error}")
        if graded.error:
            self.log.warning("graded with 0 points: %s", graded.error)
        copy_outputs(nb, graded.executed, self.log)
        resources[TRUSTED] = graded.steps
        return nb, resources


# --- recording the trusted points --------------------------------------------------------------
def is_autograded(cell):
    """A grade cell nbgrader scores by its outputs: a code cell that is not also an answer (those are scored
    by their checksum, or by hand)."""
    return utils.is_grade(cell) and cell.cell_type == "code" and not utils.is_solution(cell)


def step_of(cell, steps):
    """The trusted step a check cell (grade_id check-<step>) stands for, or None."""
    grade_id = cell.metadata["nbgrader"].get("grade_id", "")
    if not grade_id.startswith(CHECK_PREFIX):
        return None
    return next((s for s in steps if s["step"] == grade_id[len(CHECK_PREFIX) :]), None)


def points_of(step, cell_points):
    """The step's trusted points as the cell scores them: a whole number from 0 to the cell's points
    (nbgrader reads a negative value as full marks and refuses one above the cell's maximum)."""
    points = step["points"] if step else 0
    return max(0, min(points, cell_points))


def trusted_outputs(step, points):
    """What a check cell shows once graded: the step's report (its feedback where it has none) on stdout, then
    its points as the cell's one result. No stderr and no error, which nbgrader would score 0."""
    if step is None:
        text = "The grader has no result for this check: 0 points.\n"
    else:
        text = str(step.get("report") or step.get("feedback") or "")
    outputs = [new_output("stream", name="stdout", text=text if text.endswith("\n") else text + "\n")] if text else []
    outputs.append(new_output("execute_result", data={"text/plain": str(points)}, execution_count=None))
    return outputs


class TrustedGrades(NbGraderPreprocessor):
    """Gives each autograded cell the trusted step's report and points as its only outputs, so that nbgrader's
    SaveAutoGrades records exactly the trusted points. A grade cell without a trusted step scores 0."""

    def preprocess(self, nb, resources):
        steps = resources.get(TRUSTED)
        if steps is None:
            raise NbGraderException("no trusted grades: SandboxedExecute must run before TrustedGrades")
        for cell in nb.cells:
            if is_autograded(cell):
                self.grade_cell(cell, steps)
        return nb, resources

    def grade_cell(self, cell, steps):
        step = step_of(cell, steps)
        cell_points = cell.metadata["nbgrader"].get("points", 0)
        if step is None:
            self.log.warning("grade cell %s has no trusted step: 0 points", cell.metadata["nbgrader"].get("grade_id"))
        elif step["maxPoints"] != cell_points:
            self.log.warning(
                "step %s is worth %s points in the plan, its cell %s: the plan and the course differ",
                step["step"],
                step["maxPoints"],
                cell_points,
            )
        points = points_of(step, cell_points)
        cell.outputs = trusted_outputs(step, points)
        execute_result = cell.outputs[-1]
        execute_result.execution_count = cell.get("execution_count")


def autograde_preprocessors():
    """nbgrader's autograde pipeline (its default list of preprocessors) with Execute replaced by
    SandboxedExecute followed by TrustedGrades; every other step stays where nbgrader put it."""
    from nbgrader.converters.autograde import Autograde

    out = []
    for p in Autograde.class_traits()["autograde_preprocessors"].default():
        out.extend([SandboxedExecute, TrustedGrades] if p is Execute else [p])
    if SandboxedExecute not in out:
        raise NbGraderException("nbgrader's autograde pipeline has no Execute step to replace")
    return out
