#!/usr/bin/env python3
"""How reliably a Java kernel starts when a notebook is opened the way a browser opens it.

  kernel_startup.py [--opens 50] [--busy] [--out FILE] KERNEL...

Starts one Jupyter server (the project's, with the kernelspecs on JUPYTER_PATH) and then, for each
kernelspec name in turn, opens a notebook session `--opens` times in a row, as JupyterLab does: it
creates the session over the server's REST API, connects to the kernel's websocket, sends one
kernel_info_request and waits for the reply, then runs a first cell that loads the course library
and builds 6.01's network. No request is repeated: a kernel that does not answer within the limits
counts as a failed open (a learner would be left at "Kernel starting…"). The session is then deleted.

With --busy another process keeps one core busy throughout, as a learner's machine with something
else running would. After the opens, it asks each kernel once for a completion and an inspection.
Prints one line per open and a summary per kernel; --out writes everything as JSON.
"""

import argparse
import asyncio
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

INFO_LIMIT = 60  # seconds to wait for kernel_info_reply after the websocket is open
CELL_LIMIT = 120  # seconds to wait for the first cell's reply
FIRST_CELL = (
    "import org.rnnlab.grade.ReferenceModels;\nimport org.rnnlab.plot.Plots;\nimport org.rnnlab.text.*;\n"
    'var net = ReferenceModels.build("6.01", 1);\n'
    "net.numParams()"
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def message(msg_type, content, session):
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "probe",
            "session": session,
            "date": "",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
    }


class Server:
    """A Jupyter server on a loopback port, serving an empty folder."""

    def __init__(self, python):
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.root = tempfile.mkdtemp(prefix="kernel-startup-")
        self.log = open(Path(self.root) / "server.log", "w")
        self.proc = subprocess.Popen(
            [
                python,
                "-m",
                "jupyter_server",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root}",
                "--allow-root",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    async def request(self, method, path, body=None):
        req = HTTPRequest(
            self.base + path,
            method=method,
            headers={"Authorization": f"token {self.token}"},
            body=None if body is None else json.dumps(body),
            allow_nonstandard_methods=True,
            request_timeout=120,
        )
        resp = await AsyncHTTPClient().fetch(req, raise_error=True)
        return json.loads(resp.body) if resp.body else None

    async def wait_ready(self):
        for _ in range(300):
            try:
                await self.request("GET", "/api/status")
                return
            except Exception:
                await asyncio.sleep(0.2)
        raise SystemExit(f"the Jupyter server did not start; see {self.log.name}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


async def reply_to(ws, msg_id, limit, outputs=None):
    """Reads the websocket until the shell reply to msg_id arrives; None when `limit` seconds pass."""
    deadline = time.monotonic() + limit
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            raw = await asyncio.wait_for(ws.read_message(), left)
        except asyncio.TimeoutError:
            return None
        if raw is None:
            return None
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if outputs is not None and msg["msg_type"] in ("stream", "error", "execute_result"):
            outputs.append(msg)
        if msg.get("channel") == "shell":
            return msg


async def open_once(server, kernel, n, probe=False):
    """One notebook open: session, websocket, kernel_info, first cell. Returns a result dict."""
    result = {"kernel": kernel, "open": n, "ok": False}
    t0 = time.monotonic()
    session = await server.request(
        "POST",
        "/api/sessions",
        {"path": f"open-{kernel}-{n}.ipynb", "type": "notebook", "name": "", "kernel": {"name": kernel}},
    )
    kid = session["kernel"]["id"]
    result["sessionSeconds"] = round(time.monotonic() - t0, 2)
    client_session = uuid.uuid4().hex
    ws = None
    try:
        ws = await websocket_connect(
            HTTPRequest(
                f"ws://127.0.0.1:{server.port}/api/kernels/{kid}/channels?session_id={client_session}",
                headers={"Authorization": f"token {server.token}"},
                # The server holds the websocket until the kernel answers its own kernel_info request or its
                # 60 s wait runs out; a browser waits that long too.
                connect_timeout=120,
                request_timeout=120,
            )
        )
        info = message("kernel_info_request", {}, client_session)
        await ws.write_message(json.dumps(info))
        reply = await reply_to(ws, info["header"]["msg_id"], INFO_LIMIT)
        if reply is None:
            result["failure"] = f"no kernel_info_reply within {INFO_LIMIT} s"
            return result
        result["readySeconds"] = round(time.monotonic() - t0, 2)
        result["implementation"] = reply["content"].get("implementation")
        cell = message(
            "execute_request",
            {
                "code": FIRST_CELL,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            client_session,
        )
        t1 = time.monotonic()
        await ws.write_message(json.dumps(cell))
        outputs = []
        reply = await reply_to(ws, cell["header"]["msg_id"], CELL_LIMIT, outputs)
        if reply is None:
            result["failure"] = f"no reply to the first cell within {CELL_LIMIT} s"
            return result
        if reply["content"].get("status") != "ok":
            result["failure"] = f"first cell: {reply['content'].get('ename')}: {reply['content'].get('evalue')}"
            return result
        result["firstCellSeconds"] = round(time.monotonic() - t1, 2)
        result["openSeconds"] = round(time.monotonic() - t0, 2)
        result["ok"] = True
        if probe:
            result["probe"] = await probe_kernel(ws, client_session)
        return result
    except Exception as e:  # a refused websocket, a server error: a failed open like any other
        result["failure"] = f"{type(e).__name__}: {e}"
        return result
    finally:
        if ws is not None:
            ws.close()
        try:
            await server.request("DELETE", f"/api/sessions/{session['id']}")
        except Exception:
            pass


async def probe_kernel(ws, client_session):
    """What Tab (complete_request) and Shift+Tab (inspect_request) give for a few typical spots."""
    found = {}
    asks = [
        ("complete", "Plots.hi", 8),
        ("complete", "net.numPa", 9),
        ("complete", "new Tokeni", 10),
        ("inspect", "Plots.history(", 13),
        ("inspect", "net.fit(", 7),
        ("inspect", "Math.max(", 8),
    ]
    for kind, code, pos in asks:
        msg = message(f"{kind}_request", {"code": code, "cursor_pos": pos, "detail_level": 0}, client_session)
        await ws.write_message(json.dumps(msg))
        reply = await reply_to(ws, msg["header"]["msg_id"], 30)
        content = reply["content"] if reply else {}
        if kind == "complete":
            found[f"Tab after `{code}`"] = content.get("matches", [])[:8]
        else:
            text = content.get("data", {}).get("text/plain", "") if content.get("found") else ""
            found[f"Shift+Tab in `{code}`"] = text.strip()[:300]
    return found


def summary(results):
    ok = [r for r in results if r["ok"]]
    out = {
        "opens": len(results),
        "failed": len(results) - len(ok),
        "failures": sorted({r.get("failure", "") for r in results if not r["ok"]}),
    }
    for key in ("readySeconds", "firstCellSeconds", "openSeconds"):
        values = sorted(r[key] for r in ok if key in r)
        if values:
            out[key] = {
                "median": round(statistics.median(values), 2),
                "min": values[0],
                "max": values[-1],
                "p90": values[min(len(values) - 1, int(0.9 * len(values)))],
            }
    return out


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


async def main_async(args):
    server = Server(sys.executable)
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy else None
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "busyCore": bool(args.busy),
        "opensPerKernel": args.opens,
        "kernels": {},
    }
    try:
        await server.wait_ready()
        for kernel in args.kernels:
            results = []
            for n in range(1, args.opens + 1):
                r = await open_once(server, kernel, n, probe=(n == args.opens))
                results.append(r)
                state = "ok  " if r["ok"] else "FAIL"
                print(
                    f"{kernel:<14} open {n:>3}: {state} ready {r.get('readySeconds', '-'):>6} s, "
                    f"first cell {r.get('firstCellSeconds', '-'):>6} s {r.get('failure', '')}",
                    flush=True,
                )
            s = summary(results)
            s["probe"] = next((r["probe"] for r in reversed(results) if "probe" in r), None)
            s["implementation"] = next((r["implementation"] for r in results if r.get("implementation")), None)
            report["kernels"][kernel] = {"summary": s, "opens": results}
            print(json.dumps({kernel: s}, indent=1, ensure_ascii=False), flush=True)
    finally:
        if busy:
            busy.kill()
        server.stop()
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0 if all(k["summary"]["failed"] == 0 for k in report["kernels"].values()) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kernels", nargs="+", help="kernelspec names, e.g. rnnlab")
    ap.add_argument("--opens", type=int, default=50)
    ap.add_argument("--busy", action="store_true", help="keep one other core busy meanwhile")
    ap.add_argument("--out", help="write the report as JSON here")
    args = ap.parse_args()
    sys.exit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
