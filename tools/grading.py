"""Grades one submission the way both graders do (./lab grade through tools/grader.py, nbgrader through
tools/nbgrader_trusted.py):

1. the notebook runs in the sandbox (tools/sandbox.py) through tools/submission_run.py, on the graded
   build's kernel, and its kernel hands the graded objects over as files (org.rnnlab.grade.Handover);
2. a second JVM, which never runs learner code and itself runs sandboxed with the hand-over read-only,
   loads them and grades every step (org.rnnlab.grade.TrustedGrade), measuring the test accuracy on
   data it loads itself;
3. its points are validated here against the plan: whole numbers from 0 to the step's maximum.

Nothing the notebook prints, returns or writes outside the hand-over decides a grade; the hand-over itself
is data, checked like any learner's object.
"""

import dataclasses
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import nbformat
import sandbox

TOOLS = Path(__file__).resolve().parent
RUNNER = TOOLS / "submission_run.py"
KERNEL = "rnnlab"
TRUSTED_MARK = "RNNLAB-TRUSTED "
FEEDBACK_LIMIT = 4000  # characters of a step's feedback or report kept
SANDBOX_ROOT = Path(os.environ.get("RNNLAB_SANDBOX_DIR", "/run/rnnlab-grade"))
DISK = 512 << 20  # a submission's scratch folder (executed notebook, hand-over, records, kernel log)
MEMORY_MARGIN = 512 << 20  # above the kernel's own cap: the notebook runner (Python) and the scratch's files
HANDED_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,40}\.[a-z.]{1,20}")
HANDOVER_LIMIT = 64 << 20  # the largest hand-over file the trusted grader reads
PIDS = 512  # processes and threads of a submission: the JVM kernel runs about a hundred threads


def parse_bytes(size):
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", str(size).strip())
    if not m:
        raise ValueError(f"{size}: give a size such as 3g or 2048m")
    return int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]


def exercises_of(plan):
    """The plan's exercises (its other keys are settings)."""
    return {k: v for k, v in plan.items() if isinstance(v, dict) and "steps" in v}


def handover_template(plan, exercise):
    return plan[exercise].get("handover") or plan.get("handover")


def objects_of(plan, exercise):
    """Every object the exercise's steps read, in order, once."""
    return list(dict.fromkeys(o for s in plan[exercise]["steps"] for o in s.get("objects", [])))


# --- the kernel and what the sandbox must show it ----------------------------------------------
def kernelspec(jupyter_path):
    from jupyter_client.kernelspec import KernelSpecManager

    ksm = KernelSpecManager()
    ksm.kernel_dirs = [str(Path(p) / "kernels") for p in jupyter_path.split(os.pathsep) if p]
    spec_dir = Path(ksm.find_kernel_specs()[KERNEL])
    return spec_dir, json.loads((spec_dir / "kernel.json").read_text())


def limited_kernelspec(memory, jupyter_path, root, scratch):
    """A copy of the graders' kernelspec, in `root`, whose JVM gets at most `memory` in all: half as heap, the
    rest for ND4J's native arrays (JavaCPP refuses more). Returns (the folder for JUPYTER_PATH, the spec)."""
    _, spec = kernelspec(jupyter_path)
    total = parse_bytes(memory)
    heap = total // 2
    argv = [a for a in spec["argv"] if not a.startswith(("-Xmx", "-Dorg.bytedeco.javacpp.", "-Djava.library.path"))]
    at = argv.index("java") + 1 if "java" in argv else 1  # the JVM's options follow "java" (after the launcher)
    argv[at:at] = [
        *native_options(spec, scratch),
        f"-Xmx{heap >> 20}m",
        f"-Dorg.bytedeco.javacpp.maxbytes={total - heap}",
        f"-Dorg.bytedeco.javacpp.maxphysicalbytes={total}",
    ]
    spec["argv"] = argv
    (root / "kernels" / KERNEL).mkdir(parents=True, exist_ok=True)
    (root / "kernels" / KERNEL / "kernel.json").write_text(json.dumps(spec))
    os.chmod(root, 0o755)
    for d in root.rglob("*"):
        os.chmod(d, 0o755 if d.is_dir() else 0o644)
    return root, spec


def class_path(spec):
    return spec.get("env", {}).get("JJAVA_CLASSPATH", "")


_prepared = threading.Lock()
_library_dirs = {}  # cache folder -> the folders of its native libraries, found once per process


def javacpp_cache(spec):
    """JavaCPP's cache folder with ND4J's native libraries unpacked (300 MB: far more than a sandbox may
    write), made once outside the sandboxes by a trusted JVM; sandboxed JVMs read it read-only."""
    cache = Path(os.environ.get("RNNLAB_CACHE", Path.home() / ".cache" / "rnnlab")) / "javacpp"
    marker = cache / ".prepared"
    with _prepared:
        if not marker.exists():
            cache.mkdir(parents=True, exist_ok=True)
            done = subprocess.run(
                [
                    "java",
                    f"-Dorg.bytedeco.javacpp.cachedir={cache}",
                    "-cp",
                    class_path(spec),
                    "org.rnnlab.grade.TrustedGrade",
                    "--prepare",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if "prepared" not in done.stdout:
                raise RuntimeError(f"ND4J's native libraries could not be unpacked into {cache}: {done.stderr[-500:]}")
            for p in [cache, *cache.rglob("*")]:
                os.chmod(p, 0o755 if p.is_dir() else 0o644)
            marker.touch()
    return cache


def native_options(spec, scratch):
    """JVM options that load ND4J's native libraries from the prepared cache (read-only) instead of unpacking
    all 300 MB of them in the sandbox; JavaCPP still copies one 30 MB library into `scratch`/javacpp."""
    cache = javacpp_cache(spec)
    with _prepared:
        if cache not in _library_dirs:
            _library_dirs[cache] = sorted({str(p.parent) for p in cache.rglob("*.so*")})
    return [
        f"-Dorg.bytedeco.javacpp.cachedir={scratch}/javacpp",
        "-Dorg.bytedeco.javacpp.pathsFirst=true",
        "-Djava.library.path=" + ":".join(_library_dirs[cache]),
    ]


def readable_paths(spec, spec_root, jupyter_path):
    """What a sandboxed kernel must read: Python and its packages, the runner, the kernelspecs, the JVM's
    jars and launcher, the data sets named by the environment. Nothing of the grading state."""
    paths = {sys.prefix, sys.base_prefix, str(RUNNER), str(spec_root)}
    paths |= {p for p in jupyter_path.split(os.pathsep) if p}
    paths |= {a for a in spec["argv"] if a.startswith("/")}
    paths |= {a.split("=", 1)[1] for a in spec["argv"] if a.startswith("-Djava.util.logging.config.file=")}
    paths |= {p for p in class_path(spec).split(":") if p}
    paths.add(str(javacpp_cache(spec)))
    for var in ("RNNLAB_IMDB",):
        if os.environ.get(var):
            paths.add(os.environ[var])
    cache = Path(os.environ.get("RNNLAB_CACHE", Path.home() / ".cache" / "rnnlab"))
    if cache.exists():
        paths.add(str(cache))
    return sorted(p for p in paths if os.path.exists(p))


def sandbox_env(home, extra=None):
    env = {
        "HOME": str(home / "home"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_ALLOW_INSECURE_WRITES": "1",  # the runtime folder is the sandbox's own tmpfs
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }
    keep = ("RNNLAB_MODE", "RNNLAB_THREADS", "RNNLAB_IMDB", "RNNLAB_CACHE", "RNNLAB_MAX_EPOCHS", "RNNLAB_SEED")
    keep += ("OPENBLAS_CORETYPE", "NBGRADER_EXECUTION")
    env.update({k: os.environ[k] for k in keep if k in os.environ})
    env.update(extra or {})
    return env


# --- one submission ----------------------------------------------------------------------------
@dataclasses.dataclass
class Graded:
    steps: list  # [{"step", "points", "maxPoints", "feedback", "report"}] in the plan's order
    error: str | None  # why the notebook could not be run to its end (then every step has 0)
    executed: object  # the executed notebook (nbformat), None where none came back
    learner_cells: int
    sandbox: dict  # what the sandbox saw: seconds, oom_kills, timed_out, output_cut, left_running
    notes: list = dataclasses.field(default_factory=list)  # what the sandbox stopped, for the feedback


def zero_steps(plan, exercise, reason):
    return [
        {"step": s["step"], "points": 0, "maxPoints": s["maxPoints"], "feedback": reason, "report": ""}
        for s in plan[exercise]["steps"]
    ]


def validated(trusted, plan, exercise):
    """The trusted grader's steps against the plan: each plan step once, points whole and within [0, max]."""
    by_step = {}
    for s in trusted.get("steps", []) if isinstance(trusted, dict) else []:
        if isinstance(s, dict) and isinstance(s.get("step"), str):
            by_step.setdefault(s["step"], s)
    out = []
    for p in plan[exercise]["steps"]:
        s = by_step.get(p["step"])
        top = p["maxPoints"]
        points = s.get("points") if s else None
        if not isinstance(points, int) or isinstance(points, bool) or s is None:
            out.append(
                {
                    "step": p["step"],
                    "points": 0,
                    "maxPoints": top,
                    "report": "",
                    "feedback": "the grader could not grade this step",
                }
            )
            continue
        out.append(
            {
                "step": p["step"],
                "points": max(0, min(points, top)),
                "maxPoints": top,
                "feedback": str(s.get("feedback", ""))[:FEEDBACK_LIMIT],
                "report": str(s.get("report", ""))[:FEEDBACK_LIMIT],
            }
        )
    return out


def missing_objects(steps, plan, exercise, problems):
    """Steps whose objects the notebook does not have (their hand-over did not compile) say so."""
    by_step = {s["step"]: s for s in plan[exercise]["steps"]}
    for s in steps:
        missing = [o for o in by_step[s["step"]].get("objects", []) if problems.get(o) == "missing"]
        if missing:
            s["points"] = 0
            s["feedback"] = f"the notebook has no variable {', '.join(f'`{m}`' for m in missing)} (renamed or deleted?)"
    return steps


def plain_file(path):
    """Whether `path` is a regular file itself, not a link: the grader runs as root and reads the scratch folder
    after the sandbox, where a submission could have left a link to any file of the host."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_text(path, limit, cut=False):
    """A plain file of the scratch folder as text (None: absent, a link, or larger than `limit` bytes, unless
    `cut`: then its first `limit` bytes)."""
    if not plain_file(path) or (os.lstat(path).st_size > limit and not cut):
        return None
    with open(path, "rb") as f:
        return f.read(limit).decode("utf-8", "replace")


def read_json(path, limit=1 << 20):
    try:
        return json.loads(read_text(path, limit) or "null")
    except ValueError:
        return None


def run_trusted(spec, mode, exercise, handover, jupyter_path, timeout=600):
    """org.rnnlab.grade.TrustedGrade on the hand-over folder, sandboxed (read-only hand-over, no network).
    Returns its JSON, or {"error": ...}."""
    cp = class_path(spec)
    base = SANDBOX_ROOT / f"trusted-{uuid.uuid4().hex[:12]}"
    limits = sandbox.Limits(memory=3 << 30, pids=PIDS, wall_seconds=timeout, disk=128 << 20, output=4 << 20)
    with sandbox.scratch(base, limits.disk) as home:
        (home / "home").mkdir()
        os.chown(home / "home", sandbox.NOBODY, sandbox.NOBODY)
        result = sandbox.run(
            [
                "java",
                *native_options(spec, home),
                "-Xmx1g",
                "--add-modules",
                "jdk.incubator.vector",
                "-Djava.awt.headless=true",
                "-cp",
                cp,
                "org.rnnlab.grade.TrustedGrade",
                mode,
                exercise,
                str(handover),
            ],
            readonly=[str(handover), *readable_paths(spec, handover, "")],  # the class path is among them
            writable=[home],
            env=sandbox_env(home, {"RNNLAB_MODE": mode}),
            limits=limits,
            cwd=home,
        )
    for line in result.output.splitlines():
        if line.startswith(TRUSTED_MARK):
            try:
                return json.loads(line[len(TRUSTED_MARK) :])
            except ValueError:
                break
    tail = " ".join(result.output.strip().splitlines()[-3:])[:300]
    return {"error": f"the trusted grader gave no result (exit {result.returncode}): {tail}"}


def grade(nb, exercise, plan, *, mode, timeout, memory, jupyter_path, per_cell=False, log=None):
    """Runs `nb` (a notebook node) sandboxed and grades what it handed over. Never raises for a bad submission."""
    sandbox.require()
    SANDBOX_ROOT.mkdir(parents=True, exist_ok=True)
    os.chmod(SANDBOX_ROOT, 0o755)
    base = SANDBOX_ROOT / uuid.uuid4().hex[:12]
    spec_root = Path(tempfile.mkdtemp(prefix="kernelspec-", dir=SANDBOX_ROOT))
    objects = objects_of(plan, exercise)
    try:
        spec_root, spec = limited_kernelspec(memory, jupyter_path, spec_root, base)
        with sandbox.scratch(base, DISK) as s:
            for d in ("home", "runtime", "config", "data", "records", "handover"):
                (s / d).mkdir()
                os.chown(s / d, sandbox.NOBODY, sandbox.NOBODY)
            (s / "submission.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
            os.chmod(s / "submission.ipynb", 0o644)
            limits = sandbox.Limits(
                memory=parse_bytes(memory) + MEMORY_MARGIN,
                pids=PIDS,
                wall_seconds=timeout + (len(nb.cells) * timeout if per_cell else 0) + 240,
                disk=DISK,
            )
            argv = [
                sys.executable,
                str(RUNNER),
                "--notebook",
                str(s / "submission.ipynb"),
                "--out",
                str(s / "executed.ipynb"),
                "--status",
                str(s / "status.json"),
                "--handover",
                str(s / "handover"),
                "--template",
                handover_template(plan, exercise) or "",
                "--objects",
                ",".join(objects),
                "--timeout",
                str(timeout),
                "--kernel",
                KERNEL,
            ] + (["--per-cell"] if per_cell else [])
            env = sandbox_env(
                s, {"JUPYTER_PATH": str(spec_root), "RNNLAB_RESULTS": str(s / "records"), "RNNLAB_MODE": mode}
            )
            result = sandbox.run(
                argv,
                readonly=readable_paths(spec, spec_root, jupyter_path),
                writable=[s],
                env=env,
                limits=limits,
                cwd=s,
            )
            kernel_log = read_text(s / "status.kernel.log", 1 << 20, cut=True)
            if log is not None and kernel_log:
                log.write(kernel_log)
            status = read_json(s / "status.json")
            status = status if isinstance(status, dict) else {}
            executed = None
            try:
                text = read_text(s / "executed.ipynb", 64 << 20)
                executed = nbformat.reads(text, as_version=4) if text else None
            except (ValueError, AttributeError):
                executed = None
            learner_cells = status.get("learnerCells") if isinstance(status.get("learnerCells"), int) else len(nb.cells)
            error = status.get("error") if isinstance(status.get("error"), str) else None
            if result.timed_out:
                error = (
                    f"the notebook was still running when the time limit ({timeout} s) ran out: an endless "
                    "loop, or a model far bigger than the exercise's?"
                )
            elif not status and not error:
                error = "the notebook could not be run to its end (its kernel or runner stopped)"
                if shutil.disk_usage(s).free < 1 << 20:
                    error += f": it filled its {DISK >> 20} MB of disk"
                if result.oom_kills:
                    error += f": it went over its memory limit ({memory} for the kernel)"
            notes = []
            if result.oom_kills:
                notes.append(f"the memory limit stopped {result.oom_kills} of its processes")
            if result.left_running:
                notes.append(f"{result.left_running} of its processes outlived the run and were killed")
            info = dataclasses.asdict(result)
            info.pop("output")
            if error:
                return Graded(
                    zero_steps(plan, exercise, error[:FEEDBACK_LIMIT]),
                    error[:FEEDBACK_LIMIT],
                    executed,
                    learner_cells,
                    info,
                    notes,
                )
            # Only the hand-over folder goes on; copied out of the sandbox's reach, then graded by the trusted JVM.
            handed = Path(tempfile.mkdtemp(prefix="handover-", dir=SANDBOX_ROOT))
            try:
                folder = s / "handover"
                real = folder.exists() and stat.S_ISDIR(os.lstat(folder).st_mode)  # not a link to elsewhere
                found = folder.iterdir() if real else []
                for f in found:
                    if plain_file(f) and HANDED_NAME.fullmatch(f.name):
                        with open(f, "rb") as src, open(handed / f.name, "wb") as dst:
                            dst.write(src.read(HANDOVER_LIMIT + 1))  # past the limit the trusted grader refuses it
                for f in handed.iterdir():
                    os.chmod(f, 0o644)
                os.chmod(handed, 0o755)
                trusted = run_trusted(spec, mode, exercise, handed, jupyter_path)
            finally:
                shutil.rmtree(handed, ignore_errors=True)
            problems = status.get("handover") if isinstance(status.get("handover"), dict) else {}
            if "error" in trusted:
                steps = zero_steps(plan, exercise, trusted["error"])
            else:
                steps = missing_objects(validated(trusted, plan, exercise), plan, exercise, problems)
            return Graded(steps, None, executed, learner_cells, info, notes)
    finally:
        shutil.rmtree(spec_root, ignore_errors=True)
