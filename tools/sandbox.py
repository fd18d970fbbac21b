"""One untrusted command in a sandbox, for the graders (tools/grader.py, tools/nbgrader_trusted.py).

The sandbox is made of real tools, each doing one job:
- bubblewrap (`bwrap`): new PID, network, IPC and UTS namespaces; an empty root into which only the paths
  the command needs are bound, read-only; a private /tmp; one writable scratch folder; no network but a
  loopback of its own; every process of the sandbox is killed when its first process ends (PID namespace);
- `setpriv` (util-linux): the command runs as `nobody` with no capabilities and no way to gain privileges;
- cgroups through cgroup-tools (`cgcreate`, `cgset`, `cgexec`, `cgdelete`): memory of all its processes
  together (child processes and tmpfs pages included), the number of processes and threads, its CPU share;
- `prlimit` (util-linux): CPU seconds per process, the largest file it may write, open files, no core dumps;
- a tmpfs mounted (by `mount`) on the scratch folder: the disk it may fill.
Its output is kept up to a limit; the rest is read and dropped. A wall-clock limit kills it all.

Needs root (cgroups and the scratch mount); `require()` says what is missing and how to get it.
"""

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

NOBODY = 65534
CGROUP_PARENT = "rnnlab-sandbox"
V1 = Path("/sys/fs/cgroup")
# Files of /etc that programs read to start (name lookups, the JDK's settings through Debian's alternatives).
ETC = ("passwd", "group", "nsswitch.conf", "hosts", "localtime", "alternatives", "java-17-openjdk", "ssl", "fonts")


@dataclasses.dataclass
class Limits:
    """What one sandboxed command may use."""

    memory: int = 3 << 30  # bytes, all its processes together, tmpfs pages included
    pids: int = 512  # processes and threads together
    cpu_seconds: int = 7200  # CPU time of any one process
    wall_seconds: int = 3600  # the whole run
    disk: int = 256 << 20  # the scratch folder's size
    tmp: int = 64 << 20  # /tmp's size
    file_size: int = 192 << 20  # the largest file it may write
    output: int = 1 << 20  # bytes of its stdout and stderr that are kept
    cores: float = 0  # CPU share in cores (0: no cap)


@dataclasses.dataclass
class Result:
    returncode: int | None  # None: killed at the wall-clock limit
    timed_out: bool
    output: str  # the first Limits.output bytes of stdout and stderr
    output_cut: bool
    oom_kills: int  # processes the kernel killed for exceeding the memory limit
    seconds: float
    left_running: int  # processes found in its cgroup after it ended (killed then); should be 0


class SandboxUnavailable(RuntimeError):
    """The machine lacks something the sandbox needs; the message says what and how to get it."""


_running = set()  # the sandboxes of this process now running (their outermost process)
_running_lock = threading.Lock()
_stopped = threading.Event()


def stop_all():
    """Kills every sandbox this process runs and refuses new ones (the grader's answer to Ctrl-C or SIGTERM):
    each run() then returns as if timed out and cleans up after itself."""
    _stopped.set()
    with _running_lock:
        for proc in list(_running):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)


def _controllers():
    return ("memory", "pids", "cpu") if (V1 / "memory" / "tasks").exists() else ()


def require():
    """Raises SandboxUnavailable naming what is missing: the tools, root, the cgroup controllers."""
    missing = [
        pkg
        for tool, pkg in (("bwrap", "bubblewrap"), ("cgexec", "cgroup-tools"), ("setpriv", "util-linux"))
        if not shutil.which(tool)
    ]
    if not shutil.which("prlimit") and "util-linux" not in missing:
        missing.append("util-linux")
    if missing:
        raise SandboxUnavailable(
            "the graders run every submission in a sandbox and need Debian's "
            + ", ".join(missing)
            + f": sudo apt-get install {' '.join(missing)}"
        )
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the graders' sandbox sets cgroup limits and mounts a scratch folder for each submission, "
            "which needs root: run the grader with sudo (submissions themselves run as nobody)"
        )
    if not _controllers():
        raise SandboxUnavailable(
            "the graders' sandbox needs the cgroup (v1) controllers memory, pids and cpu under /sys/fs/cgroup "
            "(this machine has none mounted there)"
        )


@contextlib.contextmanager
def scratch(path, size):
    """A folder at `path` on a tmpfs of `size` bytes that only the sandbox's user (nobody) may write; unmounted
    and removed on leaving. Files the caller puts in before the run must be readable by nobody."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    opts = f"size={size},mode=0755,uid={NOBODY},gid={NOBODY},nosuid,nodev"
    subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "rnnlab-scratch", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
        shutil.rmtree(path, ignore_errors=True)


def _binds(readonly, writable):
    """bwrap's arguments for the paths: each parent made as a directory others may enter, then the bind."""
    args, made = [], {"/", "/usr", "/tmp", "/proc", "/dev", "/etc"}

    def parents(p):
        for parent in reversed(Path(p).parents):
            s = str(parent)
            if s not in made:
                made.add(s)
                args.extend(["--perms", "0755", "--dir", s])

    for p in sorted({str(Path(p).resolve()) for p in readonly}):
        if not os.path.exists(p) or p.startswith("/usr/"):
            continue
        parents(p)
        made.add(p)
        args.extend(["--ro-bind", p, p])
    for p in writable:
        parents(p)
        made.add(str(p))
        args.extend(["--bind", str(p), str(p)])
    return args


def command(argv, *, readonly, writable, env, limits, cwd=None, cgroup=None):
    """The full command line: cgexec → prlimit → bwrap → setpriv → argv."""
    etc = [f"/etc/{e}" for e in ETC if os.path.exists(f"/etc/{e}")]
    bw = [
        "bwrap",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "sandbox",
        "--ro-bind",
        "/usr",
        "/usr",
        "--symlink",
        "usr/bin",
        "/bin",
        "--symlink",
        "usr/sbin",
        "/sbin",
        "--symlink",
        "usr/lib",
        "/lib",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(limits.tmp),
        "--perms",
        "1777",
        "--tmpfs",
        "/tmp",
        "--clearenv",
    ]
    bw += ["--perms", "0755", "--dir", "/etc"]
    for e in etc:
        bw.extend(["--ro-bind", e, e])
    bw += _binds(readonly, writable)
    for k, v in env.items():
        bw.extend(["--setenv", k, str(v)])
    if cwd:
        bw.extend(["--chdir", str(cwd)])
    drop = [
        "setpriv",
        f"--reuid={NOBODY}",
        f"--regid={NOBODY}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
        "--",
    ]
    lim = [
        "prlimit",
        f"--cpu={limits.cpu_seconds}",
        f"--fsize={limits.file_size}",
        "--nofile=4096",
        "--core=0",
        "--",
    ]
    cg = ["cgexec", "-g", f"{','.join(_controllers())}:{cgroup}"] if cgroup else []
    return cg + lim + bw + ["--"] + drop + list(argv)


def _cgroup_files(name):
    return {c: V1 / c / name for c in _controllers()}


def _make_cgroup(limits):
    name = f"{CGROUP_PARENT}/{uuid.uuid4().hex[:12]}"
    subprocess.run(["cgcreate", "-g", f"{','.join(_controllers())}:{name}"], check=True)
    sets = [f"memory.limit_in_bytes={limits.memory}", f"pids.max={limits.pids}"]
    if (V1 / "memory" / name / "memory.memsw.limit_in_bytes").exists():
        sets.append(f"memory.memsw.limit_in_bytes={limits.memory}")  # no escape into swap
    if limits.cores:
        sets += ["cpu.cfs_period_us=100000", f"cpu.cfs_quota_us={int(limits.cores * 100000)}"]
    for s in sets:
        subprocess.run(["cgset", "-r", s, name], check=True)
    return name


def _oom_kills(name):
    f = V1 / "memory" / name / "memory.oom_control"
    with contextlib.suppress(OSError):
        for line in f.read_text().splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1])
    return 0


def _cgroup_pids(name):
    pids = set()
    for d in _cgroup_files(name).values():
        with contextlib.suppress(OSError):
            pids |= {int(p) for p in (d / "cgroup.procs").read_text().split()}
    return pids


def _remove_cgroup(name):
    """Kills whatever is still in the cgroup after a grace period (nothing, when the PID namespace did its job:
    the kernel kills a namespace's processes when its first one ends, which takes a moment), then removes it.
    Returns how many processes were still there after the grace period."""
    for _ in range(50):  # up to 5 s
        if not _cgroup_pids(name):
            break
        time.sleep(0.1)
    found = 0
    for _ in range(50):  # bounded
        pids = _cgroup_pids(name)
        if not pids:
            break
        found = max(found, len(pids))
        for p in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(p, signal.SIGKILL)
        time.sleep(0.1)
    subprocess.run(["cgdelete", "-g", f"{','.join(_controllers())}:{name}"], check=False, stderr=subprocess.DEVNULL)
    return found


def run(argv, *, readonly=(), writable=(), env=None, limits=None, cwd=None):
    """Runs argv in the sandbox and waits for it (at most limits.wall_seconds). `readonly`: paths it may read
    (bound at the same place); `writable`: folders it may write (a `scratch()`); `env`: its whole environment."""
    require()
    if _stopped.is_set():
        raise SandboxUnavailable("the grader is stopping: no new sandbox is started")
    limits = limits or Limits()
    env = dict(env or {})
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    cgroup = _make_cgroup(limits)
    start = time.monotonic()
    kept, cut, proc = bytearray(), False, None
    try:
        proc = subprocess.Popen(
            command(argv, readonly=readonly, writable=writable, env=env, limits=limits, cwd=cwd, cgroup=cgroup),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        with _running_lock:
            _running.add(proc)

        def drain():
            nonlocal cut
            while chunk := proc.stdout.read(65536):
                room = limits.output - len(kept)
                if room > 0:
                    kept.extend(chunk[:room])
                if len(chunk) > room:
                    cut = True

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        timed_out = False
        try:
            proc.wait(timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        reader.join(timeout=10)
        oom = _oom_kills(cgroup)
    finally:
        with _running_lock:
            _running.discard(proc)
        left = _remove_cgroup(cgroup)
    return Result(
        returncode=None if timed_out else proc.returncode,
        timed_out=timed_out,
        output=kept.decode("utf-8", "replace"),
        output_cut=cut,
        oom_kills=oom,
        seconds=round(time.monotonic() - start, 1),
        left_running=left,
    )
