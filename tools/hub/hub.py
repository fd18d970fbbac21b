"""The workshop hub's commands (run by ./lab hub, which sets the RNNLAB_HUB_* variables):

accounts N [--prefix P]   make N learner accounts (system users when run as root), print their passwords
remove                    remove the accounts made here (and their system users and homes)
start [--port P]          JupyterHub in the foreground on 127.0.0.1
status [--port P]         the learners and their servers, from the hub's REST API
load [--learners 1,2,4,8] [--notebook 6.01] [--slowdown 2.5] [--runaway] [--out DIR]
                          simulated learners log in, start servers and run a notebook all at once, in
                          growing numbers until the machine stops keeping up; a report per learner
test                      what CI checks: a wrong password is refused, a learner cannot reach another's
                          server or files, two learners run 6.01 at once while a third allocates without end
"""

import argparse
import asyncio
import csv
import datetime
import json
import os
import pwd
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
from machine import cpu_model  # noqa: E402
from workshop_auth import hash_password, read_accounts  # noqa: E402

HERE = Path(__file__).resolve().parent
ENV = os.environ
STATE = Path(ENV["RNNLAB_HUB_DIR"])
ACCOUNTS = Path(ENV["RNNLAB_HUB_ACCOUNTS"])
NOTEBOOKS = Path(ENV["RNNLAB_HUB_NOTEBOOKS"])
SYSTEM = ENV.get("RNNLAB_HUB_SPAWNER") == "system"
KERNEL = "rnnlab"
PROBE = """long heapPeak = 0;
for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
    if (pool.getType() == java.lang.management.MemoryType.HEAP) heapPeak += pool.getPeakUsage().getUsed();
}
System.out.println("PROBE " + heapPeak + " " + org.bytedeco.javacpp.Pointer.totalBytes());"""
HEAP_HOG = """{   // a block: once the heap is full, nothing refers to the list any more
    java.util.List<long[]> hog = new java.util.ArrayList<>();
    while (true) { hog.add(new long[1 << 20]); }
}"""
NATIVE_HOG = """{
    java.util.List<org.nd4j.linalg.api.ndarray.INDArray> arrays = new java.util.ArrayList<>();
    while (true) { arrays.add(org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1 << 25)); }
}"""


def say(*a):
    print(*a, flush=True)


# --- accounts -------------------------------------------------------------------------------------
def save_accounts(data):
    STATE.mkdir(parents=True, exist_ok=True)
    tmp = ACCOUNTS.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.chmod(tmp, 0o600)
    tmp.replace(ACCOUNTS)


def home_of(name):
    if SYSTEM:
        return Path(pwd.getpwnam(name).pw_dir)
    return STATE / "homes" / name


def make_accounts(count, prefix):
    """Creates `count` learners named prefix01, prefix02, ...; returns [(name, password)] of the new ones."""
    data = read_accounts(str(ACCOUNTS))
    data.setdefault("system_users", [])
    made, i = [], 0
    while len(made) < count:
        i += 1
        name = f"{prefix}{i:02d}"
        if name in data["learners"]:
            continue
        password = secrets.token_urlsafe(9)
        if SYSTEM:
            try:
                pwd.getpwnam(name)
                sys.exit(
                    f"hub: a system user {name} exists already and is not one of this hub's accounts; "
                    f"choose another --prefix"
                )
            except KeyError:
                pass
            subprocess.run(
                [
                    "useradd",
                    "--create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    "--comment",
                    "RNN lab workshop learner",
                    name,
                ],
                check=True,
            )
            data["system_users"].append(name)
        home = home_of(name)
        home.mkdir(parents=True, exist_ok=True)
        for folder in ("exercises", "figures"):
            shutil.copytree(
                NOTEBOOKS / folder,
                home / folder,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "build"),
            )
        if SYSTEM:
            subprocess.run(["chown", "-R", f"{name}:{name}", str(home)], check=True)
            os.chmod(home, 0o700)
        data["learners"][name] = hash_password(password)
        made.append((name, password))
    save_accounts(data)
    return made


def remove_accounts(names=None):
    data = read_accounts(str(ACCOUNTS))
    data.setdefault("system_users", [])
    for name in list(data["learners"]):
        if names is not None and name not in names:
            continue
        if name in data["system_users"]:
            subprocess.run(["pkill", "-KILL", "-u", name], check=False)
            for _ in range(10):  # a killed process can hold the user for a moment
                gone = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
                if gone.returncode in (0, 6):  # 6: no such user
                    break
                time.sleep(0.5)
            else:
                print(f"hub: could not remove the system user {name}: {gone.stderr.strip()}", file=sys.stderr)
            data["system_users"].remove(name)
        else:
            shutil.rmtree(STATE / "homes" / name, ignore_errors=True)
        del data["learners"][name]
    save_accounts(data)


def cmd_accounts(args):
    made = make_accounts(args.count, args.prefix)
    sheet = STATE / "passwords.csv"
    new = not sheet.exists()
    with open(sheet, "a", newline="") as f:
        os.chmod(sheet, 0o600)
        w = csv.writer(f)
        if new:
            w.writerow(["learner", "password"])
        w.writerows(made)
    say(
        f"{len(made)} account(s) made ({'system users' if SYSTEM else 'all as this user: no isolation'}); "
        f"hand out these passwords (also in {sheet}, readable by you only):"
    )
    for name, password in made:
        say(f"  {name}  {password}")


def cmd_remove(args):
    n = len(read_accounts(str(ACCOUNTS))["learners"])
    remove_accounts()
    (STATE / "passwords.csv").unlink(missing_ok=True)
    say(f"Removed {n} account(s), their homes and the password sheet.")


# --- the hub process ------------------------------------------------------------------------------
def free_port():
    """A base port with the two above it free too (hub, hub API, proxy API)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + 2 < 65536 and all(port_free(base + i) for i in (1, 2)):
            return base
    sys.exit("hub: no free ports")


def port_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def hub_command(port, db=None):
    env = dict(ENV, RNNLAB_HUB_PORT=str(port))
    if db:
        env["RNNLAB_HUB_DB"] = str(db)
    return [ENV["RNNLAB_HUB_HOME"], "-f", str(HERE / "jupyterhub_config.py")], env


class Hub:
    """A JupyterHub started in the background for the load run and the test."""

    def __init__(self, port, log):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.proc = None

    async def __aenter__(self):
        # A database of its own, removed afterwards: the load run and the test leave no users behind.
        self.db = STATE / f"run-{os.getpid()}.sqlite"
        argv, env = hub_command(self.port, self.db)
        self.proc = subprocess.Popen(
            argv, env=env, cwd=STATE, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"hub: JupyterHub exited with {self.proc.returncode}; its log: {self.log}")
            try:
                r = await fetch(self.url + "/hub/api/", raise_error=False)
                if r.code == 200:
                    await self.add_users()
                    return self
            except OSError:
                pass
            await asyncio.sleep(0.5)
        sys.exit(f"hub: JupyterHub did not answer within 90 s; its log: {self.log}")

    async def add_users(self):
        """The accounts as hub users, as an instructor adds them on the admin page: a learner who has never
        used the login page can then ask the REST API for a token."""
        for name in read_accounts(str(ACCOUNTS))["learners"]:
            r = await fetch(f"{self.url}/hub/api/users/{name}", "POST", {}, token=admin(), raise_error=False)
            if r.code not in (201, 409):
                sys.exit(f"hub: could not add {name} to the hub (HTTP {r.code}); its log: {self.log}")

    async def __aexit__(self, *exc):
        self.proc.terminate()  # JupyterHub stops the learners' servers and its proxy on the way out
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
        self.db.unlink(missing_ok=True)


async def fetch(url, method="GET", body=None, token=None, raise_error=True, headers=None, **kw):
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"token {token}"
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        h.setdefault("Content-Type", "application/json")
    if method in ("POST", "PUT", "PATCH") and body is None:
        body = ""
    req = HTTPRequest(url, method=method, body=body, headers=h, follow_redirects=False, request_timeout=120, **kw)
    return await AsyncHTTPClient().fetch(req, raise_error=raise_error)


def admin():
    return ENV["RNNLAB_HUB_ADMIN_TOKEN"]


# --- a simulated learner --------------------------------------------------------------------------
class Learner:
    """One learner: logs in through the REST API, starts a server, runs code in a kernel there."""

    def __init__(self, hub, name, password):
        self.hub, self.name, self.password = hub, name, password
        self.token = None
        self.kernel_id = None
        self.ws = None
        self.t0 = time.time()
        self.report = {"learner": name, "failures": []}

    def since(self):
        return round(time.time() - self.t0, 1)

    async def login(self):
        r = await fetch(
            f"{self.hub.url}/hub/api/users/{self.name}/tokens",
            "POST",
            {"auth": {"username": self.name, "password": self.password}, "note": "load run", "expires_in": 7200},
            raise_error=False,
        )
        if r.code != 201 and r.code != 200:
            raise RuntimeError(f"login refused ({r.code})")
        self.token = json.loads(r.body)["token"]

    async def start_server(self):
        r = await fetch(
            f"{self.hub.url}/hub/api/users/{self.name}/server", "POST", {}, token=self.token, raise_error=False
        )
        if r.code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"server start refused ({r.code}): {r.body[:200]!r}")
        deadline = time.time() + 180
        while time.time() < deadline:
            r = await fetch(f"{self.hub.url}/hub/api/users/{self.name}", token=self.token)
            server = json.loads(r.body).get("servers", {}).get("")
            if server and server.get("ready"):
                self.report["server_ready_s"] = self.since()
                return
            await asyncio.sleep(0.5)
        raise RuntimeError("server not ready within 180 s")

    def server_url(self, path):
        return f"{self.hub.url}/user/{self.name}/{path}"

    async def start_kernel(self):
        r = await fetch(self.server_url("api/kernels"), "POST", {"name": KERNEL}, token=self.token)
        self.kernel_id = json.loads(r.body)["id"]
        self.report["kernel_id"] = self.kernel_id
        ws_url = self.server_url(f"api/kernels/{self.kernel_id}/channels").replace("http://", "ws://")
        self.ws = await websocket_connect(
            HTTPRequest(ws_url, headers={"Authorization": f"token {self.token}"}), max_message_size=64 << 20
        )

    async def execute(self, code, timeout=900):
        """Runs code in the kernel; returns (status, error name or None, stdout text)."""
        msg_id = uuid.uuid4().hex
        await self.ws.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": self.name,
                        "session": self.kernel_id,
                        "msg_type": "execute_request",
                        "version": "5.3",
                        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "buffers": [],
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        out, error, status, idle = [], None, None, False
        deadline = time.time() + timeout
        while not (status and idle):
            left = deadline - time.time()
            if left <= 0:
                raise RuntimeError(f"a cell ran longer than {timeout} s")
            raw = await asyncio.wait_for(self.ws.read_message(), left)
            if raw is None:
                raise RuntimeError("the kernel's connection closed")
            if isinstance(raw, bytes):
                continue
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream" and msg["content"].get("name") == "stdout":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = f"{msg['content'].get('ename')}: {msg['content'].get('evalue', '')[:200]}"
            elif kind == "execute_reply":
                status = msg["content"]["status"]
                if status == "error" and not error:
                    error = f"{msg['content'].get('ename')}: {msg['content'].get('evalue', '')[:200]}"
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        return status, error, "".join(out)

    async def run_notebook(self, cells):
        for i, code in enumerate(cells):
            status, error, _ = await self.execute(code)
            if i == 0:
                self.report["first_cell_s"] = self.since()
            if status != "ok":
                raise RuntimeError(f"cell {i + 1}: {error}")
        self.report["finished_s"] = self.since()
        _, _, out = await self.execute(PROBE)
        line = next((ln for ln in out.splitlines() if ln.startswith("PROBE ")), None)
        if line:
            heap, native = map(int, line.split()[1:3])
            self.report["heap_peak_mb"] = round(heap / 2**20)
            self.report["javacpp_mb"] = round(native / 2**20)

    async def stop(self):
        """Stops the learner's server as the instructor would, and waits until the hub says it has stopped."""
        if self.ws:
            self.ws.close()
        await fetch(f"{self.hub.url}/hub/api/users/{self.name}/server", "DELETE", token=admin(), raise_error=False)
        deadline = time.time() + 60
        while time.time() < deadline:
            r = await fetch(f"{self.hub.url}/hub/api/users/{self.name}", token=admin(), raise_error=False)
            if r.code != 200 or not json.loads(r.body).get("servers"):
                return
            await asyncio.sleep(0.5)


def code_cells(notebook):
    nb = json.loads(notebook.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


class MemoryWatch:
    """Samples every learner's kernel (found by its kernel id) and server process: peak resident memory."""

    def __init__(self, learners, extra=()):
        self.learners = learners
        self.extra = list(extra)  # measured per learner, left out of the total (the runaway learner)
        self.peak_total = 0
        self.min_available = psutil.virtual_memory().available
        self.task = None

    def sample(self):
        total = 0
        procs = list(psutil.process_iter(["pid", "cmdline"]))
        for ln in self.learners + self.extra:
            counted = ln not in self.extra
            for p in procs:
                cmd = " ".join(p.info["cmdline"] or [])
                try:
                    if ln.kernel_id and ln.kernel_id in cmd and "java" in cmd:
                        rss = p.memory_info().rss
                        ln.report["kernel_rss_peak_mb"] = max(
                            ln.report.get("kernel_rss_peak_mb", 0), round(rss / 2**20)
                        )
                        total += rss if counted else 0
                    elif "jupyterhub-singleuser" in cmd and p.environ().get("JUPYTERHUB_USER") == ln.name:
                        rss = p.memory_info().rss
                        ln.report["server_rss_mb"] = max(ln.report.get("server_rss_mb", 0), round(rss / 2**20))
                        total += rss if counted else 0
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
        self.peak_total = max(self.peak_total, total)
        self.min_available = min(self.min_available, psutil.virtual_memory().available)

    async def run(self):
        while True:
            self.sample()
            await asyncio.sleep(1.0)

    def __enter__(self):
        self.task = asyncio.ensure_future(self.run())
        return self

    def __exit__(self, *exc):
        self.task.cancel()


async def learner_session(learner, cells, timeout):
    try:
        await asyncio.wait_for(learner_steps(learner, cells), timeout)
    except asyncio.TimeoutError:
        learner.report["failures"].append(f"not finished within {timeout} s")
    except Exception as e:  # noqa: BLE001 (a learner's failure is reported, the others go on)
        learner.report["failures"].append(str(e) or type(e).__name__)
    finally:
        await learner.stop()
    return learner.report


async def learner_steps(learner, cells):
    await learner.login()
    await learner.start_server()
    await learner.start_kernel()
    await learner.run_notebook(cells)


async def runaway_session(learner, done):
    """A learner whose cells allocate without end: Java heap, then ND4J's native memory; both must be refused
    with an error while the kernel (and everyone else) stays up."""
    try:
        await learner.login()
        await learner.start_server()
        await learner.start_kernel()
        for label, code in (("heap", HEAP_HOG), ("native", NATIVE_HOG)):
            status, error, _ = await learner.execute(code, timeout=600)
            learner.report[f"{label}_hog"] = error or status
        status, _, out = await learner.execute('System.out.println("still here");')
        learner.report["alive_after"] = status == "ok" and "still here" in out
    except Exception as e:  # noqa: BLE001
        learner.report["failures"].append(str(e) or type(e).__name__)
    finally:
        await done.wait()
        await learner.stop()
    return learner.report


# --- load run -------------------------------------------------------------------------------------
def machine():
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "env": {k: v for k, v in ENV.items() if k.startswith(("OPENBLAS_", "OMP_"))},
        "spawner": ENV.get("RNNLAB_HUB_SPAWNER"),
        "mode": ENV.get("RNNLAB_MODE", "quick"),
        "heap": ENV.get("RNNLAB_HEAP", "1g"),
        "kernel_memory": ENV.get("RNNLAB_KERNEL_MEMORY", "3g"),
    }


async def run_level(hub, accounts, cells, timeout, runaway=None):
    learners = [Learner(hub, n, p) for n, p in accounts]
    done = asyncio.Event()
    extra = []
    if runaway:
        extra = [Learner(hub, *runaway)]
    t0 = time.time()
    with MemoryWatch(learners, extra) as watch:
        hog = [asyncio.ensure_future(runaway_session(extra[0], done))] if extra else []
        reports = await asyncio.gather(*(learner_session(ln, cells, timeout) for ln in learners))
        done.set()
        hog_reports = await asyncio.gather(*hog)
    return {
        "learners": len(learners),
        "wall_s": round(time.time() - t0, 1),
        "reports": list(reports),
        "runaway": hog_reports[0] if hog_reports else None,
        "peak_memory_all_mb": round(watch.peak_total / 2**20),
        "min_available_mb": round(watch.min_available / 2**20),
    }


def keeps_up(level, baseline, slowdown):
    if any(r["failures"] for r in level["reports"]):
        return False, "a learner failed"
    worst = max(r["finished_s"] for r in level["reports"])
    if baseline and worst > slowdown * baseline:
        return False, f"the slowest learner took {worst:.0f} s, more than {slowdown} x {baseline:.0f} s alone"
    return True, ""


def summary_table(levels):
    rows = [
        "| learners | all done | server ready (median) | first cell (median) | finished (median / slowest) "
        "| kernel RSS peak (median / max) | Java heap peak (median) | all learners' memory | failures |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for lv in levels:
        rs = lv["reports"]
        ok = [r for r in rs if not r["failures"]]

        def med(key, rows=ok):
            vals = [r[key] for r in rows if key in r]
            return statistics.median(vals) if vals else float("nan")

        fails = "; ".join(f"{r['learner']}: {r['failures'][0]}" for r in rs if r["failures"]) or "none"
        rows.append(
            f"| {lv['learners']} | {lv['wall_s']:.0f} s | {med('server_ready_s'):.1f} s | {med('first_cell_s'):.1f} s "
            f"| {med('finished_s'):.0f} / {max([r.get('finished_s', 0) for r in rs]):.0f} s "
            f"| {med('kernel_rss_peak_mb'):.0f} / {max([r.get('kernel_rss_peak_mb', 0) for r in rs])} MB "
            f"| {med('heap_peak_mb'):.0f} MB | {lv['peak_memory_all_mb']} MB | {fails} |"
        )
    return "\n".join(rows)


async def load(args):
    levels_wanted = [int(x) for x in args.learners.split(",")]
    notebook = (
        NOTEBOOKS / "solutions" / next(p.name for p in (NOTEBOOKS / "solutions").glob(f"{args.notebook}-*.ipynb"))
    )
    cells = code_cells(notebook)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    need = max(levels_wanted) + (1 if args.runaway else 0)
    prefix = "rnnlab-load"
    remove_accounts([n for n in read_accounts(str(ACCOUNTS))["learners"] if n.startswith(prefix)])
    accounts = make_accounts(need, prefix)
    info = machine()
    say(
        f"Load run: {notebook.name} in {info['mode']} mode, learners {levels_wanted}, on {info['cpu']} "
        f"({info['cores']} cores, {info['memory_gb']} GB); {info['env'] or 'no OPENBLAS_/OMP_ variables set'}"
    )
    result = {"machine": info, "notebook": notebook.name, "date": datetime.date.today().isoformat(), "levels": []}
    try:
        async with Hub(free_port(), STATE / "load-hub.log") as hub:
            baseline = None
            for n in levels_wanted:
                runaway = accounts[-1] if args.runaway else None
                level = await run_level(hub, accounts[:n], cells, args.timeout, runaway)
                ok, why = keeps_up(level, baseline, args.slowdown)
                if baseline is None and ok:
                    baseline = statistics.median(r["finished_s"] for r in level["reports"])
                level["keeps_up"], level["why_not"] = ok, why
                result["levels"].append(level)
                say(
                    f"  {n} learner(s): all done in {level['wall_s']:.0f} s, "
                    f"{'keeps up' if ok else 'does not keep up: ' + why}"
                )
                if level["runaway"]:
                    say(
                        f"    runaway learner: heap {level['runaway'].get('heap_hog')}; "
                        f"native {level['runaway'].get('native_hog')}; "
                        f"kernel alive after: {level['runaway'].get('alive_after')}"
                    )
                (out / "load-run.json").write_text(json.dumps(result, indent=1))
                if not ok:
                    break
    finally:
        remove_accounts([n for n, _ in accounts])
    held = [lv["learners"] for lv in result["levels"] if lv["keeps_up"]]
    result["held"] = max(held) if held else 0
    (out / "load-run.json").write_text(json.dumps(result, indent=1))
    table = summary_table(result["levels"])
    (out / "load-run.md").write_text(table + "\n")
    say(table)
    say(
        f"Held {result['held']} learner(s) at once (slowest within {args.slowdown} x one learner alone, no failures). "
        f"Report: {out}/load-run.json"
    )
    return 0


# --- the test CI runs -----------------------------------------------------------------------------
async def selftest(args):
    prefix = "rnnlab-test"
    remove_accounts([n for n in read_accounts(str(ACCOUNTS))["learners"] if n.startswith(prefix)])
    accounts = make_accounts(3, prefix)
    (a, pa), (b, pb), hog = accounts
    problems = []

    def check(ok, what):
        say(f"  {'ok ' if ok else 'FAIL'} {what}")
        if not ok:
            problems.append(what)

    try:
        async with Hub(free_port(), STATE / "test-hub.log") as hub:
            # Logging in: the login page and the REST API refuse a wrong password and another learner's.
            r = await fetch(hub.url + "/hub/login", raise_error=False)
            xsrf = next(
                (c.split("=", 1)[1].split(";")[0] for c in r.headers.get_list("Set-Cookie") if c.startswith("_xsrf=")),
                "",
            )
            for who, pw, want, label in (
                (a, "wrong-" + pa, False, "a wrong password"),
                (a, pb, False, "another learner's password"),
                ("nobody-here", pa, False, "a password but no account"),
                (a, pa, True, "the right password"),
            ):
                form = urllib.parse.urlencode({"username": who, "password": pw, "_xsrf": xsrf})
                r = await fetch(
                    hub.url + "/hub/login",
                    "POST",
                    form,
                    raise_error=False,
                    headers={"Cookie": f"_xsrf={xsrf}", "Content-Type": "application/x-www-form-urlencoded"},
                )
                logged_in = r.code == 302 and "jupyterhub-hub-login" in " ".join(r.headers.get_list("Set-Cookie"))
                check(
                    logged_in == want,
                    f"login page, {who} with {label}: {'logged in' if logged_in else 'refused'} (HTTP {r.code})",
                )
            r = await fetch(
                f"{hub.url}/hub/api/users/{a}/tokens",
                "POST",
                {"auth": {"username": a, "password": pb}},
                raise_error=False,
            )
            check(r.code == 403, f"REST API token for {a} with {b}'s password: HTTP {r.code} (403 expected)")

            la, lb = Learner(hub, a, pa), Learner(hub, b, pb)
            await la.login()
            await lb.login()
            await la.start_server()
            await lb.start_server()
            # One learner cannot reach another's server, start or stop it, or read the hub's record of it.
            for what, url, method in (
                ("open", lb.server_url("api/status"), "GET"),
                ("list the kernels of", lb.server_url("api/kernels"), "GET"),
                ("start", f"{hub.url}/hub/api/users/{b}/server", "POST"),
                ("stop", f"{hub.url}/hub/api/users/{b}/server", "DELETE"),
                ("read", f"{hub.url}/hub/api/users/{b}", "GET"),
            ):
                r = await fetch(url, method, {} if method == "POST" else None, token=la.token, raise_error=False)
                check(r.code in (403, 404), f"{a} tries to {what} {b}'s server: HTTP {r.code} (403 or 404 expected)")
            r = await fetch(lb.server_url("api/status"), token=lb.token, raise_error=False)
            check(r.code == 200, f"{b} opens their own server: HTTP {r.code}")

            await la.start_kernel()
            other = home_of(b) / "exercises" / "6.01-simple-rnn.ipynb"
            status, error, _ = await la.execute(
                f'java.nio.file.Files.readString(java.nio.file.Path.of("{other}")).length()'
            )
            if SYSTEM:
                check(
                    status == "error" and "AccessDenied" in (error or ""),
                    f"{a}'s kernel reads {b}'s notebook: {error or 'it could'}",
                )
            else:
                say(
                    f"  (same-user spawner: {a}'s kernel {'could' if status == 'ok' else 'could not'} read {b}'s "
                    "files — no isolation between learners in this mode, as docs/workshops.md says)"
                )
            await la.stop()

            # Two learners run 6.01 in quick mode at once while a third allocates without end.
            cells = code_cells(NOTEBOOKS / "solutions" / "6.01-simple-rnn.ipynb")
            level = await run_level(hub, [(a, pa), (b, pb)], cells, args.timeout, runaway=hog)
            for r in level["reports"]:
                check(
                    not r["failures"] and r.get("finished_s"),
                    f"{r['learner']} ran 6.01 to the end beside the runaway learner: "
                    f"{r['failures'] or str(r.get('finished_s')) + ' s'}, kernel peak {r.get('kernel_rss_peak_mb')} MB",
                )
            ids = [r.get("kernel_id") for r in level["reports"] + [level["runaway"]] if r.get("kernel_id")]
            left = [
                p.pid
                for p in psutil.process_iter(["cmdline"])
                if any(k in " ".join(p.info["cmdline"] or []) for k in ids)
            ]
            check(
                len(ids) == 3 and not left,
                f"stopped servers leave no kernels behind ({len(ids)} kernels, {len(left)} left)",
            )
            ra = level["runaway"]
            check(
                "OutOfMemoryError" in str(ra.get("heap_hog")), f"runaway heap allocation stopped: {ra.get('heap_hog')}"
            )
            check(
                "OutOfMemoryError" in str(ra.get("native_hog")) or "memory" in str(ra.get("native_hog")).lower(),
                f"runaway native allocation stopped: {ra.get('native_hog')}",
            )
            check(ra.get("alive_after") is True, "the runaway learner's kernel still answers afterwards")
            (Path(args.out) / "hub-test.json").parent.mkdir(parents=True, exist_ok=True)
            (Path(args.out) / "hub-test.json").write_text(json.dumps(level, indent=1))
    finally:
        remove_accounts([n for n, _ in accounts])
    if problems:
        say(f"hub test: {len(problems)} problem(s)")
        return 1
    say("hub test: all checks passed")
    return 0


async def status(args):
    try:
        r = await fetch(f"http://127.0.0.1:{args.port}/hub/api/users", token=admin(), raise_error=False)
    except OSError:
        r = None
    if r is None or r.code != 200:
        sys.exit(
            f"hub: no hub answers on 127.0.0.1:{args.port} ({r.code if r else 'connection refused'}); "
            "start it with ./lab hub start"
        )
    users = {u["name"]: u for u in json.loads(r.body)}
    accounts = read_accounts(str(ACCOUNTS))["learners"]
    for name in sorted(set(accounts) | set(users)):
        u = users.get(name)
        server = (u or {}).get("servers", {}).get("")
        state = "running" if server and server.get("ready") else ("starting" if server else "stopped")
        if u is None:
            state = "never logged in"
        elif name not in accounts:
            state += " (account removed)"
        say(f"{name:20s} {state:16s} last activity {(u or {}).get('last_activity') or '-'}")
    return 0


def main():
    ap = argparse.ArgumentParser(
        prog="./lab hub", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("accounts")
    a.add_argument("count", type=int)
    a.add_argument("--prefix", default="learner")
    sub.add_parser("remove")
    s = sub.add_parser("start")
    s.add_argument("--port", type=int, default=8000)
    st = sub.add_parser("status")
    st.add_argument("--port", type=int, default=8000)
    ld = sub.add_parser("load")
    ld.add_argument("--learners", default="1,2,4,8")
    ld.add_argument("--notebook", default="6.01")
    ld.add_argument("--slowdown", type=float, default=2.5)
    ld.add_argument("--timeout", type=int, default=1200, help="seconds per learner")
    ld.add_argument("--runaway", action="store_true", help="one more learner allocating without end at every level")
    ld.add_argument("--out", default=str(STATE.parent / "load"))
    t = sub.add_parser("test")
    t.add_argument("--timeout", type=int, default=900)
    t.add_argument("--out", default=str(STATE.parent / "test"))
    args = ap.parse_args()
    if args.cmd == "accounts":
        if args.count < 1:
            sys.exit("hub: give a number of accounts, e.g. ./lab hub accounts 20")
        return cmd_accounts(args)
    if args.cmd == "remove":
        return cmd_remove(args)
    if args.cmd == "start":
        if not read_accounts(str(ACCOUNTS))["learners"]:
            sys.exit("hub: no accounts yet: make them first, e.g. ./lab hub accounts 20")
        argv, env = hub_command(args.port)
        say(
            f"JupyterHub on http://127.0.0.1:{args.port} (localhost only); learners log in with their accounts. "
            "Stop with Ctrl-C."
        )
        os.chdir(STATE)
        os.execve(argv[0], argv, env)
    runner = {"status": status, "load": load, "test": selftest}[args.cmd]
    return asyncio.run(runner(args))


if __name__ == "__main__":
    sys.exit(main())
