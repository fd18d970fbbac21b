#!/usr/bin/env python3
"""Tests of the autograder, run by `./lab test`: grades every solution (full marks), every untouched
exercise (0 points, no errors) and a set of deliberately wrong submissions made from the 6.01
solution, each of which must get the expected points and hint.

  grading_test.py --plan PLAN --out DIR
"""

import argparse
import json
import os
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import grader  # noqa: E402

import notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks" / "solutions" / "6.01-simple-rnn.ipynb"


def edited(replacements):
    """The 6.01 solution with text replaced in its code cells (each replacement must apply)."""
    nb = nbformat.read(SOURCE, as_version=4)
    for old, new in replacements:
        hits = [c for c in nb.cells if c.cell_type == "code" and old in c.source]
        assert hits, f"test set-up: {old!r} is not in {SOURCE.name}"
        for c in hits:
            c.source = c.source.replace(old, new)
    return nb


GRADED_CHECKS = ("Check.model(", "Check.training(", "Check.results(")


def wrong_submissions():
    """(file name, notebook or raw text, {step: (points, max, hint substring)}, whole-submission error substring)."""
    # An LSTM where the exercise has a SimpleRnn (DL4J's LSTM, which the Trainer runs on the faster loop).
    rnn = ("new LastTimeStep(new SimpleRnn.Builder()", "new LastTimeStep(new LSTM.Builder()")
    cases = []
    cases.append(
        (
            "wrong-layer-type.ipynb",
            edited([rnn]),
            {"model": (3, 5, "layer 3 is an LSTM; this exercise asks for a SimpleRnn"), "training": (5, 5, "")},
            None,
        )
    )
    cases.append(
        (
            "wrong-units.ipynb",
            edited([(".nIn(32).nOut(32)", ".nIn(32).nOut(64)"), (".nIn(32).nOut(1)", ".nIn(64).nOut(1)")]),
            {"model": (3, 5, "layer 3 (SimpleRnn) has 64 units; the exercise asks for 32")},
            None,
        )
    )
    cases.append(
        (
            "keras-dropout.ipynb",
            edited(
                [
                    ("new SpatialDropout(0.6)", "new SpatialDropout(0.4)"),
                    ("new DropoutLayer(0.6)", "new DropoutLayer(0.4)"),
                ]
            ),
            {"model": (4, 5, "DL4J's dropout takes the probability of keeping a unit: 0.6 for the exercise's 0.4")},
            None,
        )
    )
    cases.append(
        (
            "wrong-loss.ipynb",
            edited([("LossFunction.XENT", "LossFunction.MSE")]),
            {
                "model": (5, 5, ""),
                "training": (4, 5, "binary cross-entropy: new OutputLayer.Builder(LossFunction.XENT)"),
            },
            None,
        )
    )
    nb = nbformat.read(SOURCE, as_version=4)
    nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and c.source.startswith(GRADED_CHECKS))]
    cases.append(("deleted-checks.ipynb", nb, {"model": (5, 5, ""), "training": (5, 5, "")}, None))
    nb = edited([rnn])
    fake = 'Check 6.01 · model: 5/5\n✓ all fine\nRNNLAB-GRADE 0 {"points": 5, "maxPoints": 5, "feedback": "ok"}\n'
    for c in nb.cells:
        if c.cell_type == "code" and c.source.startswith(GRADED_CHECKS):
            c.outputs = [nbformat.v4.new_output("stream", name="stdout", text=fake)]
    nb.cells.append(
        nbformat.v4.new_code_cell(
            'System.out.println("RNNLAB-GRADE 0 {\\"step\\": \\"model\\", \\"points\\": 5, '
            '\\"maxPoints\\": 5, \\"feedback\\": \\"ok\\"}");'
        )
    )
    cases.append(("faked-outputs.ipynb", nb, {"model": (3, 5, "layer 3 is an LSTM")}, None))
    cases.append(
        (
            "renamed-model.ipynb",
            edited(
                [
                    ("MultiLayerNetwork model = null;", "MultiLayerNetwork net = null;"),
                    (
                        "model = new MultiLayerNetwork(conf);\n    model.init();",
                        "net = new MultiLayerNetwork(conf);\n    net.init();",
                    ),
                ]
            ),
            {
                "model": (0, 5, "the notebook has no variable `model` (renamed or deleted?)"),
                "training": (0, 5, "the notebook has no variable `model`, `trainer`"),
            },
            None,
        )
    )
    cases.append(
        (
            "infinite-loop.ipynb",
            edited([("Layer embedding = null;", "Layer embedding = null;\nwhile (true) { }")]),
            {"model": (0, 5, "time limit"), "training": (0, 5, "time limit")},
            "time limit",
        )
    )
    # Test labels replaced by the model's own predictions: its own evaluation says 100 %; the grader measures
    # on test data it loads itself.
    cases.append(
        (
            "own-labels.ipynb",
            edited(
                [
                    (
                        "BinaryReport bestEpoch = Evaluate.binary(model, xTest, yTest);",
                        "yTest = Arrays.stream(Evaluate.predictProba(model, xTest))"
                        ".mapToInt(p -> p > 0.5 ? 1 : 0).toArray();\n"
                        "BinaryReport bestEpoch = Evaluate.binary(model, xTest, yTest);",
                    )
                ]
            ),
            {"model": (5, 5, ""), "training": (5, 5, ""), "results": (0, 0, "test accuracy")},
            None,
        )
    )
    cases.append(
        (
            "endless-output.ipynb",
            edited(
                [
                    (
                        "Layer embedding = null;",
                        'Layer embedding = null;\nfor (long i = 0; ; i++) System.out.println("spam " + i);',
                    )
                ]
            ),
            {"model": (0, 5, "time limit")},
            "time limit",
        )
    )
    cases.append(
        (
            "crash.ipynb",
            edited([("Layer embedding = null;", "Layer embedding = null;\nSystem.exit(3);")]),
            {"model": (0, 5, "kernel died")},
            "kernel died",
        )
    )
    text = SOURCE.read_text(encoding="utf-8")
    cases.append(
        (
            "6.01-corrupt.ipynb",
            text[: len(text) // 3],
            {"model": (0, 5, "not a valid notebook")},
            "not a valid notebook",
        )
    )
    return cases


EPOCH_CAP = "RNNLAB_MAX_EPOCHS"
WRONG_TIMEOUT = 150  # seconds per wrong submission: two of them loop until it runs out
QUICK_FLOOR = 75.0  # the README's promise: quick mode learns
NEW_REVIEWS = {
    "An excellent movie!": "positive",
    "Don't watch this movie - poor acting, poor script, bad direction.": "negative",
}


def quick_mode_problems(by_name, executed):
    """Quick mode learns: every sentiment solution's test accuracy (best validation epoch's weights, as the
    grader measures it on the quick sample's test reviews) is at least QUICK_FLOOR, and both new reviews are
    classified right."""
    problems = []
    for path in sorted((ROOT / "notebooks" / "solutions").glob("6.0[1-5]-*.ipynb")):
        steps = {s["step"]: s for s in by_name.get(f"solutions/{path.name}", {}).get("steps", [])}
        m = re.search(r"test accuracy: ([0-9.]+) %", steps.get("results", {}).get("feedback", ""))
        if not m or float(m.group(1)) < QUICK_FLOOR:
            problems.append(
                f"quick mode {path.stem}: test accuracy below {QUICK_FLOOR} %: "
                f"{steps.get('results', {}).get('feedback')!r}"
            )
        nb = nbformat.read(executed / path.name, as_version=4) if (executed / path.name).is_file() else None
        printed = "".join(o.get("text", "") for c in (nb.cells if nb else []) for o in c.get("outputs", []))
        for review, verdict in NEW_REVIEWS.items():
            if not re.search(rf"\b{verdict}\s+{re.escape(review)}", printed):
                problems.append(f"quick mode {path.stem}: {review!r} is not classified {verdict}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = Path(args.out)
    plan = json.loads(Path(args.plan).read_text())
    failures = []

    # nbgrader's points in the solutions are the library's.
    for path in sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        ex = grader.exercise_of(nb, path)
        for c in nb.cells:
            meta = c.metadata.get("nbgrader", {})
            if meta.get("grade"):
                step = meta["grade_id"].removeprefix("check-")
                want = {
                    s["step"]: s["maxPoints"]
                    for s in json.loads(Path(args.plan).with_name("plan-full.json").read_text())[ex]["steps"]
                }
                if meta.get("points") != want.get(step):
                    failures.append(
                        f"{path.name}: nbgrader gives check-{step} {meta.get('points')} points, "
                        f"the library {want.get(step)}"
                    )

    wrong = out / "wrong"
    wrong.mkdir(parents=True, exist_ok=True)
    cases = wrong_submissions()
    for name, nb, _, _ in cases:
        if isinstance(nb, str):
            (wrong / name).write_text(nb, encoding="utf-8")
        else:
            (wrong / name).write_text(notebooks.serialize(nb), encoding="utf-8")

    results = grader.grade_all(
        [str(ROOT / "notebooks" / "solutions"), str(ROOT / "notebooks" / "exercises")],
        args.plan,
        str(out / "notebooks"),
        900,
        "3g",
        2,
    )
    # The wrong submissions' points do not depend on how long they train (quick mode grades no accuracy, and
    # the own-labels case checks only where the grader's figure comes from): two epochs keep the test short.
    os.environ[EPOCH_CAP] = "2"
    try:
        results += grader.grade_all([str(wrong)], args.plan, str(out / "wrong-graded"), WRONG_TIMEOUT, "3g", 2)
    finally:
        del os.environ[EPOCH_CAP]
    by_name = {r["submission"]: r for r in results}

    for r in results:
        folder = r["submission"].split("/")[0]
        points = sum(s["points"] for s in r["steps"])
        top = sum(s["maxPoints"] for s in r["steps"])
        if folder == "solutions":
            if r["error"] or r["notes"] or points != top:
                failures.append(f"solution {r['submission']}: {points}/{top}, error {r['error']}, notes {r['notes']}")
            if plan.get(r["exercise"], {}).get("steps") and top == 0:
                failures.append(f"solution {r['submission']}: graded steps worth nothing")
        elif folder == "exercises":
            if r["error"] or r["notes"] or points != 0:
                failures.append(
                    f"untouched exercise {r['submission']}: {points}/{top}, error {r['error']}, notes {r['notes']}"
                )
    for name, _, expected, error in cases:
        r = by_name.get(f"wrong/{name}")
        if r is None:
            failures.append(f"{name}: not graded")
            continue
        steps = {s["step"]: s for s in r["steps"]}
        for step, (points, top, hint) in expected.items():
            s = steps.get(step)
            if s is None or s["points"] != points or s["maxPoints"] != top or hint not in s["feedback"]:
                failures.append(
                    f"{name} · {step}: expected {points}/{top} with {hint!r}, got "
                    + (f"{s['points']}/{s['maxPoints']}: {s['feedback']!r}" if s else "no such step")
                )
        if error and error not in (r["error"] or ""):
            failures.append(f"{name}: expected the error {error!r}, got {r['error']!r}")
    failures += quick_mode_problems(by_name, out / "notebooks" / "executed" / "solutions")
    own = {s["step"]: s for s in by_name.get("wrong/own-labels.ipynb", {}).get("steps", [])}.get("results", {})
    if "100.00 %" in own.get("feedback", "100.00 %"):
        failures.append(f"own-labels: the grader took the submission's own labels: {own.get('feedback')!r}")
    # A submission that prints without end keeps at most the grader's output limit, and is told so.
    spam = out / "wrong-graded" / "executed" / "wrong" / "endless-output.ipynb"
    if not spam.is_file() or spam.stat().st_size > 2 * grader.OUTPUT_LIMIT:
        failures.append(
            f"endless-output: the executed notebook is {spam.stat().st_size if spam.is_file() else 'missing'}"
            f" bytes, more than twice the output limit of {grader.OUTPUT_LIMIT}"
        )
    notes = by_name.get("wrong/endless-output.ipynb", {}).get("notes", [])
    if not any("more than" in n and "MB of output" in n for n in notes):
        failures.append(f"endless-output: no note that its output was cut: {notes}")
    for f in failures:
        print("FAIL", f, file=sys.stderr)
    print(f"grading tests: {len(results)} submissions graded, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
