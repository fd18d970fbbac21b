"""Checks the deployment files that this project cannot run (no container engine, no Kubernetes here):

- deploy/Dockerfile passes hadolint;
- deploy/z2jh/values.yaml, merged over the chart's defaults as Helm merges them, is valid against the
  chart's values schema (both copied from zero-to-jupyterhub-k8s, see deploy/z2jh/SOURCE.md);
- the learner's memory limit there leaves room for the kernel cap the image sets plus the server.
Each check is also run on a broken copy, which it must reject, so that a check that cannot fail is noticed.
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SERVER_MB = 256  # a learner's Jupyter server, measured at about 150 MB in the load run


def merged(defaults, values):
    out = dict(defaults)
    for k, v in values.items():
        out[k] = merged(defaults[k], v) if isinstance(v, dict) and isinstance(defaults.get(k), dict) else v
    return out


def values_errors(values):
    schema = json.loads((DEPLOY / "z2jh" / "values.schema.json").read_text())
    full = merged(yaml.safe_load((DEPLOY / "z2jh" / "chart-defaults.yaml").read_text()), values)
    for f in (full.get("hub", {}).get("extraFiles") or {}).values():
        f.setdefault("stringData", "(given on the command line with --set-file)")
    return [
        f"{'.'.join(map(str, e.path)) or '(top)'}: {e.message[:160]}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(full)
    ]


def hadolint(text):
    exe = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    with tempfile.NamedTemporaryFile("w", suffix=".Dockerfile", delete=False) as f:
        f.write(text)
    r = subprocess.run([exe, "--no-color", f.name], capture_output=True, text=True)
    Path(f.name).unlink()
    return r.returncode, (r.stdout + r.stderr).strip()


def size_mb(text):
    m = re.fullmatch(r"([\d.]+)\s*([kKmMgG])i?", str(text).strip())
    if not m:
        raise ValueError(f"not a size: {text}")
    return float(m.group(1)) * {"k": 1 / 1024, "m": 1, "g": 1024}[m.group(2).lower()]


def main():
    problems = []

    def check(ok, what):
        print(f"  {'ok ' if ok else 'FAIL'} {what}")
        if not ok:
            problems.append(what)

    dockerfile = (DEPLOY / "Dockerfile").read_text()
    rc, out = hadolint(dockerfile)
    check(rc == 0, "hadolint deploy/Dockerfile" + (f":\n{out}" if out else ""))
    rc, out = hadolint(dockerfile.replace("FROM debian:bookworm-slim", "FROM debian"))
    check(rc != 0 and "DL3006" in out, "hadolint rejects an unpinned base image (control)")

    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())
    errors = values_errors(values)
    check(not errors, "deploy/z2jh/values.yaml against the chart's schema" + "".join(f"\n      {e}" for e in errors))
    broken = json.loads(json.dumps(values))
    broken["singleuser"]["memroy"] = broken["singleuser"].pop("memory")
    check(bool(values_errors(broken)), "the schema rejects a misspelt key, singleuser.memroy (control)")

    kernel = re.search(r"RNNLAB_KERNEL_MEMORY=(\S+)", dockerfile)
    limit = values["singleuser"]["memory"]["limit"]
    if kernel:
        need = size_mb(kernel.group(1)) + SERVER_MB
        check(
            size_mb(limit) >= need,
            f"singleuser.memory.limit {limit} holds the image's kernel cap "
            f"{kernel.group(1)} plus a server ({need:.0f} MB)",
        )
    else:
        check(False, "deploy/Dockerfile sets RNNLAB_KERNEL_MEMORY")
    if problems:
        print(f"deployment files: {len(problems)} problem(s)")
        return 1
    print("deployment files: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
