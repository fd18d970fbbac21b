#!/usr/bin/env python3
"""Hostile submissions against `./lab grade` (run by ./lab test): each is the untouched 6.01 exercise (worth 0)
with a few cells a learner bent on a better grade, or on harm, might add. They are graded in one run beside an
honest solution, which must keep its full marks. For each case the suite checks the points (never more than the
honest points of what it contains), what it could touch (the plan, the gradebook, another submission, the
grader's processes, the network, files outside its sandbox) and that the sandbox's limits held.

  hostile_test.py --plan PLAN --out DIR

Every case's cells print what they managed to do; those lines are only read to show the report, the checks
look at the files, processes and counters themselves.
"""

import argparse
import csv
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import grader  # noqa: E402
import grading  # noqa: E402

import notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXERCISE = ROOT / "notebooks" / "exercises" / "6.01-simple-rnn.ipynb"
SOLUTION = ROOT / "notebooks" / "solutions" / "6.01-simple-rnn.ipynb"
SECRET = "honest-secret-7c1f"  # written into the honest submission: no other submission may read it
TIMEOUT = 240


def java_string(s):
    return json.dumps(str(s))


def with_cells(*sources, base=EXERCISE, at=None):
    """The notebook `base` with code cells added (at the end, or before cell index `at`)."""
    nb = nbformat.read(base, as_version=4)
    cells = [nbformat.v4.new_code_cell(s) for s in sources]
    if at is None:
        nb.cells.extend(cells)
    else:
        nb.cells[at:at] = cells
    return nb


HIJACK_NAMES = (
    'String org = "hijack"; String Handover = "x"; String Check = "x";',
    "class Autograde { } class TrustedGrade { }",
    "class String { } class Object { } class Class { }",
)


def cases(targets):
    """(file name, notebook, extra checks) for every hostile case. `targets`: paths of the grading state."""
    forged = json.dumps(
        {
            "exercise": "6.01",
            "steps": [
                {"step": s, "points": 5, "maxPoints": 5, "feedback": "ok", "report": "ok"}
                for s in ("model", "training")
            ],
        }
    )
    writes = "\n".join(
        f'try {{ java.nio.file.Files.writeString(java.nio.file.Path.of({java_string(p)}), "forged"); '
        f'System.out.println("WROTE {p}"); }} catch (Exception e) {{ System.out.println("refused {p}: " + e); }}'
        for p in targets["write"]
    )
    reads = "\n".join(
        f'try {{ System.out.println("READ " + java.nio.file.Files.readString(java.nio.file.Path.of({java_string(p)}))'
        f'.length()); }} catch (Exception e) {{ System.out.println("refused {p}: " + e); }}'
        for p in targets["read"]
    )
    port = targets["port"]
    return [
        ("variable-org.ipynb", with_cells('String org = "hijack";', 'String Handover = "x"; int getClass = 1;')),
        (
            "class-names.ipynb",
            with_cells(
                "class org { static class rnnlab { } }",
                'class Handover { static void put(Object... a) { System.out.println("hijacked"); } }',
                "class Autograde { } class TrustedGrade { } class Check { }",
            ),
        ),
        (
            "java-lang-names.ipynb",
            with_cells("class String { } class Object { } class Class { } class System { }"),
        ),
        (
            "method-names.ipynb",
            with_cells(
                "static Object getClass(Object o) { return null; }\n"
                "static Object forName(String s) { return null; }\n"
                "static Object invoke(Object... a) { return null; }\n"
                "static void put(String d, String n, Object v) { }"
            ),
        ),
        (
            "variable-model.ipynb",
            # a `model` that is not a network at all
            with_cells('String model = "a perfect SimpleRNN, trust me";'),
        ),
        (
            "forged-lines.ipynb",
            with_cells(
                f"System.out.println({java_string(grading.TRUSTED_MARK + forged)});\n"
                + 'System.out.println("RNNLAB-GRADE 0 {\\"step\\": \\"model\\", \\"points\\": 5, '
                '\\"maxPoints\\": 5, \\"feedback\\": \\"ok\\"}");\n'
                + 'java.nio.file.Files.writeString(java.nio.file.Path.of("status.json"), '
                + java_string(json.dumps({"error": None, "learnerCells": 0, "handover": {}}))
                + ");"
            ),
        ),
        (
            "output-thread.ipynb",
            with_cells(
                "var real = System.out;\n"
                "Thread t = new Thread(() -> { while (true) {\n"
                f"  System.setOut(new java.io.PrintStream(real) {{ public void println(String x) {{ "
                f"real.println({java_string(grading.TRUSTED_MARK + forged)}); }} }});\n"
                "  try { Thread.sleep(5); } catch (InterruptedException e) { } } });\n"
                "t.setDaemon(true); t.start();"
            ),
        ),
        (
            "forged-handover.ipynb",
            # the learner writes hand-over files of its own, then breaks its variables so no real hand-over happens
            with_cells(
                'var d = java.nio.file.Path.of("handover"); java.nio.file.Files.createDirectories(d);\n'
                'java.nio.file.Files.writeString(d.resolve("model.model.zip"), "PK not a model");\n'
                'java.nio.file.Files.writeString(d.resolve("trainer.trainer.json"), '
                '"{\\"epochs\\": 10, \\"batchSize\\": 128, \\"validationSplit\\": 0.2, \\"keepBestOf\\": '
                '\\"val_accuracy\\", \\"patience\\": 0}");'
            ),
        ),
        (
            "reflection.ipynb",
            with_cells(
                'for (String n : new String[] {"org.rnnlab.grade.Exercises", "org.rnnlab.grade.ModelChecks", '
                '"org.rnnlab.grade.TrainingChecks", "org.rnnlab.grade.Handover"}) {\n'
                "  try { for (var f : Class.forName(n).getDeclaredFields()) { f.setAccessible(true);\n"
                "    if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) "
                'f.setInt(null, 0); } System.out.println("patched " + n); }\n'
                '  catch (Throwable e) { System.out.println("refused " + n + ": " + e); } }'
            ),
        ),
        ("grading-state.ipynb", with_cells(writes, reads)),
        (
            "kill-grader.ipynb",
            with_cells(
                "ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid())"
                '.forEach(p -> System.out.println("kill " + p.pid() + " " + p.destroyForcibly()));',
                'new ProcessBuilder("kill", "-9", "-1").inheritIO().start().waitFor();',
            ),
        ),
        (
            "setsid.ipynb",
            with_cells('new ProcessBuilder("setsid", "sleep", "7331").start();', "Thread.sleep(500);"),
        ),
        (
            "thread-flood.ipynb",
            with_cells(
                "int started = 0;\n"
                "try { for (int i = 0; i < 100000; i++) { Thread t = new Thread(() -> { try { Thread.sleep(600000); }"
                " catch (InterruptedException e) { } }); t.setDaemon(true); t.start(); started++; } }\n"
                'catch (Throwable e) { System.out.println("stopped after " + started + " threads: " + e); }'
            ),
        ),
        (
            "fork-flood.ipynb",
            with_cells(
                "int forked = 0;\n"
                'try { for (int i = 0; i < 5000; i++) { new ProcessBuilder("sleep", "600").start(); forked++; } }\n'
                'catch (Throwable e) { System.out.println("stopped after " + forked + " processes: " + e); }'
            ),
        ),
        (
            "child-memory.ipynb",
            with_cells(
                'var p = new ProcessBuilder("python3", "-c", "x = bytearray(8 << 30); x[::4096] = b\\"x\\" * '
                '(len(x) // 4096); print(\\"allocated 8 GB\\")").inheritIO().start();\n'
                'System.out.println("child exit " + p.waitFor());'
            ),
        ),
        (
            "endless-stdout.ipynb",
            with_cells(
                "var raw = new java.io.FileOutputStream(java.io.FileDescriptor.out);\n"
                "byte[] block = new byte[1 << 20]; java.util.Arrays.fill(block, (byte) 'x');\n"
                "long written = 0, end = System.currentTimeMillis() + 60000;\n"
                "try { while (System.currentTimeMillis() < end) { raw.write(block); written += block.length; } }\n"
                'catch (Throwable e) { System.out.println("stopped after " + (written >> 20) + " MB: " + e); }'
            ),
        ),
        (
            "disk-fill.ipynb",
            # files of 100 MB (under the largest file allowed) until the scratch folder is full
            with_cells(
                "long w = 0; try { for (int f = 0; f < 80; f++) {\n"
                '  try (var o = new java.io.FileOutputStream("fill" + f + ".bin")) { byte[] b = new byte[1 << 20];\n'
                "    for (int i = 0; i < 100; i++) { o.write(b); w += b.length; } } } }\n"
                'catch (Throwable e) { System.out.println("stopped after " + (w >> 20) + " MB: " + e); }'
            ),
        ),
        (
            "symlinks.ipynb",
            # links in the scratch folder to the host's grading state, for the grader (root) to follow afterwards
            with_cells(
                'var here = java.nio.file.Path.of("").toAbsolutePath();\n'
                'for (String n : new String[] {"status.kernel.log", "handover"}) {\n'
                "  try { var p = here.resolve(n); if (java.nio.file.Files.isDirectory(p)) {\n"
                "      try (var l = java.nio.file.Files.list(p)) {\n"
                "        for (var f : l.toList()) java.nio.file.Files.delete(f); } }\n"
                "    java.nio.file.Files.delete(p);\n"
                f"    var to = java.nio.file.Path.of({java_string(targets['link'])});\n"
                "    java.nio.file.Files.createSymbolicLink(p, to);\n"
                '    System.out.println("linked " + n); }\n'
                '  catch (Exception e) { System.out.println("refused " + n + ": " + e); } }'
            ),
        ),
        (
            "network.ipynb",
            with_cells(
                f'try (var s = new java.net.Socket("127.0.0.1", {port})) {{'
                ' s.getOutputStream().write("hello".getBytes()); System.out.println("CONNECTED"); }\n'
                'catch (Exception e) { System.out.println("no network: " + e); }'
            ),
        ),
        (
            "formula-feedback.ipynb",
            with_cells(
                'Trainer trainer = Trainer.of(null).keepBestWeights("=HYPERLINK(\\"http://example.invalid\\")");',
                'throw new RuntimeException("=1+2");',
            ),
        ),
    ]


class Listener:
    """A TCP server on the host's loopback that counts the connections it gets (none are expected)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join(timeout=5)
        self.sock.close()


def printed(path):
    """The text a notebook's cells printed (not their source)."""
    if not path.is_file():
        return ""
    nb = nbformat.read(path, as_version=4)
    return "".join(str(o.get("text", "")) + str(o.get("evalue", "")) for c in nb.cells for o in c.get("outputs", []))


def sleepers(tag):
    out = subprocess.run(["pgrep", "-f", tag], capture_output=True, text=True).stdout.split()
    return [p for p in out if p != str(os.getpid())]


def validator_problems(plan):
    """The points the trusted grader prints are validated: not whole numbers → 0, above the step's maximum → capped."""
    problems = []
    steps = [{"step": "model", "points": p, "maxPoints": 5, "feedback": "x"} for p in ("5", 5.0, True, None)]
    got = grading.validated({"steps": steps}, plan, "6.01")
    if got[0]["points"] != 0:
        problems.append(f"validator: non-numeric points were taken: {got[0]}")
    got = grading.validated({"steps": [{"step": "model", "points": 10**9, "feedback": "="}]}, plan, "6.01")
    if got[0]["points"] != got[0]["maxPoints"]:
        problems.append(f"validator: oversized points were not capped: {got[0]}")
    got = grading.validated({"steps": [{"step": "model", "points": -7}]}, plan, "6.01")
    if got[0]["points"] != 0:
        problems.append(f"validator: negative points were taken: {got[0]}")
    if grader.cell("=1+2") != "'=1+2" or grader.cell("@SUM(A1)") != "'@SUM(A1)":
        problems.append("gradebook: a cell starting a formula is not neutralised")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = Path(args.out).resolve()
    plan = json.loads(Path(args.plan).read_text())
    folder = out / "submissions"
    folder.mkdir(parents=True, exist_ok=True)
    graded = out / "graded"
    graded.mkdir(parents=True, exist_ok=True)
    honest = folder / "honest" / "6.01-simple-rnn.ipynb"
    honest.parent.mkdir(exist_ok=True)
    nb = nbformat.read(SOLUTION, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(SECRET))
    honest.write_text(notebooks.serialize(nb), encoding="utf-8")
    # The grading state a submission must neither change nor read: the plan, another submission, an earlier
    # gradebook, an nbgrader course's database and source/ (hidden tests), this test itself.
    course = out / "course"
    (course / "source" / "6.01").mkdir(parents=True, exist_ok=True)
    (course / "gradebook.db").write_text("nbgrader's database " + SECRET, encoding="utf-8")
    (course / "source" / "6.01" / "6.01-simple-rnn.ipynb").write_text(notebooks.serialize(nb), encoding="utf-8")
    earlier = out / "earlier" / "gradebook.csv"
    earlier.parent.mkdir(exist_ok=True)
    earlier.write_text("submission,exercise,step,points\nhonest,6.01,model,5\n", encoding="utf-8")
    listener = Listener()
    state = {
        p: None
        for p in (
            Path(args.plan).resolve(),
            honest,
            earlier,
            course / "gradebook.db",
            course / "source" / "6.01" / "6.01-simple-rnn.ipynb",
            Path(__file__).resolve(),
        )
    }
    targets = {
        "write": [str(p) for p in state],
        "read": [str(honest), str(course / "gradebook.db"), str(course / "source" / "6.01" / "6.01-simple-rnn.ipynb")],
        "port": listener.port,
        "link": str(course / "gradebook.db"),
    }
    for p in state:
        state[p] = p.read_bytes()
    the_cases = cases(targets)
    for name, case in the_cases:
        (folder / "hostile").mkdir(exist_ok=True)
        case.metadata.setdefault("rnnlab", {})["exercise"] = "6.01"
        (folder / "hostile" / name.replace(".ipynb", "-6.01.ipynb")).write_text(
            notebooks.serialize(case), encoding="utf-8"
        )
    # The honest solution with the names that captured the old grader's calls: it keeps its full marks.
    named = with_cells(*HIJACK_NAMES, base=SOLUTION)
    (folder / "honest" / "named-6.01.ipynb").write_text(notebooks.serialize(named), encoding="utf-8")
    # A notebook whose metadata names another exercise: the 6.07 solution handed in as 6.01.
    other = nbformat.read(ROOT / "notebooks" / "solutions" / "6.07-airline-forecasting.ipynb", as_version=4)
    (folder / "hostile" / "other-exercise-6.01.ipynb").write_text(notebooks.serialize(other), encoding="utf-8")
    os.environ["RNNLAB_MAX_EPOCHS"] = "2"
    start = time.monotonic()
    try:
        results = grader.grade_all(
            [str(folder / "honest"), str(folder / "hostile")], args.plan, str(graded), TIMEOUT, "3g", 2
        )
    finally:
        del os.environ["RNNLAB_MAX_EPOCHS"]
        listener.close()
    seconds = time.monotonic() - start
    failures = validator_problems(plan)
    by_name = {r["submission"]: r for r in results}
    honest_r = by_name.get("honest/6.01-simple-rnn.ipynb")
    top = sum(s["maxPoints"] for s in honest_r["steps"]) if honest_r else 0
    if not honest_r or sum(s["points"] for s in honest_r["steps"]) != top or top == 0:
        failures.append(f"the honest submission lost its marks: {honest_r}")
    named_r = by_name.get("honest/named-6.01.ipynb", {})
    if sum(s["points"] for s in named_r.get("steps", [])) != top:
        failures.append(f"the honest submission with hijacking names lost marks: {named_r.get('steps')}")
    print(f"{'case':<28} points  sandbox")
    for name in [n for n, _ in the_cases] + ["other-exercise.ipynb"]:
        r = by_name.get("hostile/" + name.replace(".ipynb", "-6.01.ipynb"))
        if r is None:
            failures.append(f"{name}: not graded")
            continue
        points = sum(s["points"] for s in r["steps"])
        box = r.get("sandbox", {})
        print(
            f"{name:<28} {points:>2}/{sum(s['maxPoints'] for s in r['steps']):<3}  "
            f"{box.get('seconds', '?')} s, oom kills {box.get('oom_kills', '?')}, left running "
            f"{box.get('left_running', '?')}, {r['error'] or ''}"[:200]
        )
        if points != 0:
            failures.append(f"{name}: {points} points for an untouched exercise: {r['steps']}")
        if box.get("left_running"):
            failures.append(f"{name}: {box['left_running']} process(es) were still running after it ended")
    for p, before in state.items():
        if p.read_bytes() != before:
            failures.append(f"{p} was changed by a submission")
    rows = list(csv.reader((graded / "gradebook.csv").open(encoding="utf-8")))
    for r in rows[1:]:
        for field in r:
            if field[:1] in ("=", "+", "-", "@"):
                failures.append(f"gradebook: a field starts a formula: {field[:60]!r}")
    executed = graded / "executed" / "hostile"
    for name in ("grading-state", "forged-lines"):
        text = printed(executed / f"{name}-6.01.ipynb")
        if SECRET in text or "READ " in text:
            reached = [ln for ln in text.splitlines() if "READ " in ln or SECRET in ln][:3]
            failures.append(f"{name}: read the grading state: {reached}")
    log = graded / "executed" / "hostile" / "symlinks-6.01.kernel.log"
    if "linked" not in printed(executed / "symlinks-6.01.ipynb") or (log.is_file() and SECRET in log.read_text()):
        failures.append("symlinks: the links were not made, or the grader followed one to the host's file")
    if listener.connections:
        failures.append(f"network: the host's loopback got {listener.connections} connection(s) from a submission")
    if sleepers("sleep 7331"):
        failures.append("setsid: its process is still running after grading")
    if sleepers("sleep 600"):
        failures.append("fork-flood: its processes are still running after grading")
    child = by_name.get("hostile/child-memory-6.01.ipynb", {})
    if "allocated 8 GB" in printed(executed / "child-memory-6.01.ipynb"):
        failures.append("child-memory: a child process allocated 8 GB past the memory cap")
    if not child.get("sandbox", {}).get("oom_kills"):
        failures.append(f"child-memory: the memory cap killed nothing: {child.get('sandbox')}")
    for name, unit, most in (
        ("thread-flood", "threads", 512),
        ("fork-flood", "processes", 512),
        ("disk-fill", "MB", 512),
    ):
        m = re.search(rf"stopped after (\d+) {unit}", printed(executed / f"{name}-6.01.ipynb"))
        error = by_name.get(f"hostile/{name}-6.01.ipynb", {}).get("error") or ""
        if name == "disk-fill" and not m and f"filled its {grading.DISK >> 20} MB of disk" in error:
            continue  # the full disk stopped the runner's own writing too: the grader says so
        if not m or int(m.group(1)) > most:
            failures.append(f"{name}: the sandbox's limit did not stop it at {most} {unit}: {m and m.group(0)}")
    if "no network" not in printed(executed / "network-6.01.ipynb"):
        failures.append("network: the submission's connection was not refused")
    other_r = by_name.get("hostile/other-exercise-6.01.ipynb", {})
    if other_r.get("exercise") != "6.01" or not any("metadata names" in n for n in other_r.get("notes", [])):
        failures.append(
            f"other-exercise: not graded as the exercise its file name gives: {other_r.get('exercise')}, "
            f"{other_r.get('notes')}"
        )
    for f in failures:
        print("FAIL", f, file=sys.stderr)
    print(f"hostile submissions: {len(results)} graded in {seconds:.0f} s")
    print(f"{0 if failures else len(the_cases) + 3} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
