#!/usr/bin/env python3
"""The graders' sandbox (tools/sandbox.py) on its own, without Java: each limit is pushed past and must hold.
Seconds to run; `./lab test` runs it before the grading tests. Needs root, bubblewrap and cgroup-tools.

  sandbox_test.py
"""

import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sandbox  # noqa: E402

PY = "/usr/bin/python3"  # Debian's Python, under /usr, which every sandbox sees


def run(script, **kw):
    limits = kw.pop("limits", sandbox.Limits(memory=256 << 20, pids=64, wall_seconds=30, disk=16 << 20))
    return sandbox.run([PY, "-c", script], limits=limits, **kw)


def case_identity(tmp):
    r = run(
        "import os; print(os.getuid(), os.getgid(), "
        "open('/proc/self/status').read().count('CapEff:\\t0000000000000000'))"
    )
    assert r.output.split() == ["65534", "65534", "1"], f"not nobody without capabilities: {r.output!r}"


def case_files(tmp):
    secret = tmp / "grading-state.txt"
    secret.write_text("state")
    readable = tmp / "readable.txt"
    readable.write_text("data")
    script = (
        "import os\n"
        f"print('secret', os.path.exists({str(secret)!r}))\n"
        f"print('readable', open({str(readable)!r}).read())\n"
        f"try:\n    open({str(readable)!r}, 'w').write('x'); print('wrote')\n"
        "except OSError as e: print('refused', e.errno)\n"
        "print('root', sorted(os.listdir('/')))\n"
        "print('home', os.path.exists('/root'), os.path.exists('/home'))\n"
    )
    r = run(script, readonly=[readable])
    assert "secret False" in r.output, r.output
    assert "readable data" in r.output and "refused 30" in r.output, r.output  # EROFS
    assert "home False False" in r.output, r.output
    assert readable.read_text() == "data" and secret.read_text() == "state"


def case_private_tmp(tmp):
    marker = Path(tempfile.gettempdir()) / "rnnlab-sandbox-test-marker"
    marker.write_text("host")
    try:
        r = run(f"import os; print(os.path.exists({str(marker)!r})); open('/tmp/mine', 'w').write('x')")
        assert r.output.strip() == "False", r.output
        assert not Path("/tmp/mine").exists() or Path("/tmp/mine").read_text() != "x"
    finally:
        marker.unlink()


def case_scratch_size(tmp):
    with sandbox.scratch(tmp / "scratch", 8 << 20) as s:
        r = run(
            f"n = 0\ntry:\n    f = open('{s}/fill', 'wb')\n"
            "    while n < 64:\n        f.write(b'x' * (1 << 20)); f.flush(); n += 1\n"
            "except OSError as e: print('stopped', n, e.errno)",
            writable=[s],
        )
        assert r.output.startswith("stopped") and int(r.output.split()[1]) <= 8, r.output


def case_memory(tmp):
    # a child process of the command allocates past the cap: the kernel kills it, the sandbox reports it
    r = run(
        "import subprocess\n"
        f"p = subprocess.run([{PY!r}, '-c', 'x = bytearray(1 << 30); x[::4096] = b\"x\" * (len(x) // 4096); "
        'print("allocated")\'])\n'
        "print('child', p.returncode)"
    )
    assert "allocated" not in r.output and "child -9" in r.output, r.output
    assert r.oom_kills >= 1, r


def case_processes(tmp):
    r = run(
        "import subprocess\nprocs = []\n"
        "try:\n    for i in range(500): procs.append(subprocess.Popen(['sleep', '60']))\n"
        "except OSError as e: print('stopped', len(procs), e.errno)"
    )
    assert r.output.startswith("stopped") and int(r.output.split()[1]) < 64, r.output
    assert r.left_running == 0, r


def case_network(tmp):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    try:
        r = run(
            "import socket\ntry:\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=2); print('connected')\n"
            "except OSError as e: print('refused', type(e).__name__)"
        )
        try:
            server.accept()
            got = True
        except OSError:
            got = False
        assert "refused" in r.output and not got, (r.output, got)
    finally:
        server.close()


def case_nothing_left(tmp):
    tag = "7351"
    r = run(f"import subprocess; subprocess.Popen(['setsid', 'sleep', '{tag}']); print('started')")
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", f"sleep {tag}"], capture_output=True, text=True).stdout.split()
    assert "started" in r.output and not left, (r.output, left)


def case_wall_time(tmp):
    r = run("import time; time.sleep(60)", limits=sandbox.Limits(memory=256 << 20, pids=64, wall_seconds=2))
    assert r.timed_out and r.seconds < 10, r


def case_output(tmp):
    r = run("import sys\nfor i in range(100000): sys.stdout.write('x' * 1000)", limits=sandbox.Limits(output=4096))
    assert len(r.output) <= 4096 and r.output_cut, (len(r.output), r.output_cut)


def case_stop_all(tmp):
    result = {}
    t = threading.Thread(target=lambda: result.update(r=run("import time; time.sleep(60)")))
    t.start()
    time.sleep(1.5)
    sandbox.stop_all()
    t.join(timeout=15)
    assert not t.is_alive() and result["r"].seconds < 15, result
    try:
        run("print(1)")
        raise AssertionError("a sandbox started after stop_all")
    except sandbox.SandboxUnavailable:
        pass


CASES = [v for k, v in list(globals().items()) if k.startswith("case_")]  # stop_all last: it ends the sandboxes


def main():
    try:
        sandbox.require()
    except sandbox.SandboxUnavailable as e:
        print(f"sandbox test: {e}", file=sys.stderr)
        return 1
    passed, failed = 0, 0
    for case in CASES:
        with tempfile.TemporaryDirectory() as d:
            start = time.monotonic()
            try:
                case(Path(d))
                passed += 1
                print(f"ok    {case.__name__[5:]:<14} {time.monotonic() - start:5.1f} s")
            except Exception as e:  # a failed assertion or an unexpected error: both fail the case
                failed += 1
                print(f"FAIL  {case.__name__[5:]:<14} {type(e).__name__}: {str(e)[:400]}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
