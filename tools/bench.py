#!/usr/bin/env python3
"""The peers' side of `./lab bench`, and its report.

  bench.py env                          the machine: CPU model and instruction sets, cores, the threading and
                                        BLAS variables set; one JSON line
  bench.py peak                         single-thread float32 matrix-product GFLOP/s of NumPy's and PyTorch's
                                        BLAS (1024 x 1024, and the models' 128 x 32 by 32 x 128 step); one line
  bench.py torch|keras PLAN ID BATCHES INFERENCE THREADS
                                        time exercise ID's network (built from PLAN, the library's exercise
                                        plan) in PyTorch or Keras (tf-keras) on IMDB-shaped synthetic data, one
                                        thread or the framework's default ("default"); one JSON line
  bench.py kernel                       seconds until the Java kernel answers, and until a first cell has
                                        loaded the library and built an exercise's network; one JSON line
  bench.py report RESULTS.jsonl PLAN OUT.json [PAGE.md]
                                        the table of every framework and setting, the ratios of DL4J to the
                                        fastest peer and each one's fraction of the machine's peak; as JSON,
                                        and into PAGE.md (docs/performance.md), in the section of this kind of CPU.
                                        A setting timed in several rounds counts with its fastest round.

The peers build each exercise's network from the same description the grader checks learners against
(its layers, RMSprop settings and batch size, in the plan's "network"), so the three frameworks train the
same architecture. PyTorch's cells carry two bias vectors where Keras and DL4J have one, so its parameter
counts are slightly higher; its GRU is the reset-after form, as the exercise's.
"""

import json
import os
import platform
import re
import resource
import sys
import textwrap
import time

TRAIN_SAMPLES, INFERENCE = 20_000, 25_000
GATES = {"SIMPLE_RNN": 1, "GRU": 3, "LSTM": 4}
RECURRENT_FORMS = ("SEQUENCE", "LAST_STEP", "BIDIRECTIONAL")


def network(plan, exercise):
    with open(plan, encoding="utf-8") as f:
        net = json.load(f)[exercise].get("network")
    if not net:
        sys.exit(f"bench: the plan has no network for {exercise}")
    return net


def vocabulary(net):
    return next(layer["nIn"] for layer in net["layers"] if layer["kind"] == "EMBEDDING")


def epoch_batches(net):
    return -(-TRAIN_SAMPLES // net["batchSize"])


def forward_flops(net):
    """Floating-point operations of one sample's forward pass: the recurrent layers' matrix products at every
    step in each direction, and the output layer; lookups, dropout and the cells' elementwise work are left
    out (a few per cent)."""
    total = 0
    for layer in net["layers"]:
        kind, n_in, units = layer["kind"], layer["nIn"], layer["units"]
        if kind in GATES:
            directions = 2 if layer["form"] == "BIDIRECTIONAL" else 1
            total += net["maxLen"] * directions * 2 * GATES[kind] * units * (n_in + units)
        elif kind in ("OUTPUT", "DENSE"):
            total += 2 * n_in * units
    return total


def cpu_flags():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def env():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from machine import cpu_model, java_version

    flags = cpu_flags()
    isa = [f for f in ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_tile") if f in flags]
    settings = {k: v for k, v in sorted(os.environ.items()) if k.startswith(("OMP_", "OPENBLAS_", "MKL_", "KMP_"))}
    print(
        json.dumps(
            {
                "framework": "machine",
                "cpu": cpu_model(),
                "isa": isa,
                "cores": os.cpu_count(),
                "java": java_version(),
                "settings": settings,
                "machineSettings": json.loads(os.environ.get("RNNLAB_MACHINE_SETTINGS", "{}")),
                "date": time.strftime("%Y-%m-%d"),
            }
        )
    )


def blas_info():
    """The BLAS and OpenMP libraries this process has loaded, as threadpoolctl sees them."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl missing"
    parts = []
    for lib in threadpool_info():
        arch = lib.get("architecture") or lib.get("threading_layer") or ""
        parts.append(f"{lib.get('internal_api')} {lib.get('version') or ''} {arch}".strip())
    return ", ".join(sorted(set(parts))) or "none loaded"


def peak():
    import numpy as np
    from threadpoolctl import threadpool_limits

    def rate(mm, a, b, flops, seconds=1.0):
        for _ in range(3):
            mm(a, b)
        best, end = 0.0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            start = time.perf_counter()
            for _ in range(10):
                mm(a, b)
            best = max(best, 10 * flops / (time.perf_counter() - start) / 1e9)
        return round(best, 1)

    big = 1024
    out = {"framework": "peers' BLAS"}
    with threadpool_limits(1):
        a, b = np.ones((big, big), np.float32), np.ones((big, big), np.float32)
        s, w = np.ones((128, 32), np.float32), np.ones((32, 128), np.float32)
        out["numpy"] = np.__version__
        out["numpySgemmLargeGflops"] = rate(np.matmul, a, b, 2 * big**3)
        out["numpySgemmStepGflops"] = rate(np.matmul, s, w, 2 * 128 * 32 * 128)
        try:
            import torch

            torch.set_num_threads(1)
            ta, tb, ts, tw = (torch.from_numpy(x) for x in (a, b, s, w))
            out["torch"] = torch.__version__
            out["torchSgemmLargeGflops"] = rate(torch.mm, ta, tb, 2 * big**3)
            out["torchSgemmStepGflops"] = rate(torch.mm, ts, tw, 2 * 128 * 32 * 128)
        except ImportError:
            pass
        out["blas"] = blas_info()
    print(json.dumps(out))


def torch_model(net):
    import torch
    from torch import nn

    class Recurrent(nn.Module):
        def __init__(self, spec):
            super().__init__()
            kind = {"SIMPLE_RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[spec["kind"]]
            self.form = spec["form"]
            self.cell = kind(spec["nIn"], spec["units"], batch_first=True, bidirectional=self.form == "BIDIRECTIONAL")

        def forward(self, x):
            seq, h = self.cell(x)
            if self.form == "SEQUENCE":
                return seq
            h = h[0] if isinstance(h, tuple) else h  # an LSTM returns (h_n, c_n)
            return torch.cat([h[0], h[1]], dim=1) if self.form == "BIDIRECTIONAL" else h[-1]

    class SpatialDropout(nn.Module):
        def __init__(self, rate):
            super().__init__()
            self.drop = nn.Dropout1d(rate)

        def forward(self, x):  # [batch, time, features]: drop whole features, the same at every step
            return self.drop(x.transpose(1, 2)).transpose(1, 2)

    layers = []
    for spec in net["layers"]:
        kind = spec["kind"]
        if kind == "EMBEDDING":
            layers.append(nn.Embedding(spec["nIn"], spec["units"]))
        elif kind == "SPATIAL_DROPOUT":
            layers.append(SpatialDropout(spec["rate"]))
        elif kind == "DROPOUT":
            layers.append(nn.Dropout(spec["rate"]))
        elif kind in GATES:
            if spec["form"] not in RECURRENT_FORMS:
                sys.exit(f"bench: no PyTorch form for {spec}")
            layers.append(Recurrent(spec))
        elif kind == "OUTPUT":
            if spec["activation"] != "SIGMOID" or net["loss"] != "XENT":
                sys.exit(f"bench: only a sigmoid output with binary cross-entropy is built, not {spec}")
            layers.append(nn.Linear(spec["nIn"], spec["units"]))  # logits: the sigmoid is in the loss
        else:
            sys.exit(f"bench: no PyTorch layer for {spec}")
    return nn.Sequential(*layers)


def time_torch(net, exercise, batches, inference, threads):
    import torch

    if threads == "1":
        torch.set_num_threads(1)
    torch.manual_seed(42)
    model = torch_model(net)
    opt = torch.optim.RMSprop(model.parameters(), lr=net["learningRate"], alpha=net["rho"], eps=net["epsilon"])
    loss_fn = torch.nn.BCEWithLogitsLoss()
    g = torch.Generator().manual_seed(42)
    vocab, length, batch = vocabulary(net), net["maxLen"], net["batchSize"]
    data = [
        (torch.randint(1, vocab, (batch, length), generator=g), torch.randint(0, 2, (batch, 1), generator=g).float())
        for _ in range(batches + 2)
    ]

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    model.train()
    step(*data[0])
    step(*data[1])  # warm-up
    start = time.perf_counter()
    for x, y in data[2:]:
        step(x, y)
    per_batch = (time.perf_counter() - start) / batches

    model.eval()
    sequences = torch.randint(1, vocab, (inference, length), generator=g)
    with torch.no_grad():
        model(sequences[:512])
        start = time.perf_counter()
        for i in range(0, inference, 512):
            torch.sigmoid(model(sequences[i : i + 512]))
        infer = (time.perf_counter() - start) * INFERENCE / inference
    emit(
        "PyTorch " + torch.__version__,
        exercise,
        threads,
        torch.get_num_threads(),
        sum(p.numel() for p in model.parameters()),
        batches,
        per_batch * epoch_batches(net),
        infer,
        f"{blas_info()}; CPU capability {cpu_capability(torch)}",
    )


def cpu_capability(torch):
    """The SIMD level PyTorch's own kernels use (torch.backends.cpu arrived in PyTorch 2.0)."""
    cpu = getattr(torch.backends, "cpu", None)
    return cpu.get_cpu_capability() if cpu else "not reported"


def keras_model(net):
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    import tf_keras as keras

    model = keras.Sequential()
    model.add(keras.Input(shape=(net["maxLen"],), dtype="int32"))
    for spec in net["layers"]:
        kind = spec["kind"]
        if kind == "EMBEDDING":
            model.add(keras.layers.Embedding(spec["nIn"], spec["units"]))
        elif kind == "SPATIAL_DROPOUT":
            model.add(keras.layers.SpatialDropout1D(spec["rate"]))
        elif kind == "DROPOUT":
            model.add(keras.layers.Dropout(spec["rate"]))
        elif kind in GATES:
            options = {"return_sequences": spec["form"] == "SEQUENCE"}
            if kind == "GRU":
                options["reset_after"] = spec["resetAfter"] is not False
            cell = {"SIMPLE_RNN": keras.layers.SimpleRNN, "LSTM": keras.layers.LSTM, "GRU": keras.layers.GRU}[kind]
            layer = cell(spec["units"], **options)
            model.add(keras.layers.Bidirectional(layer) if spec["form"] == "BIDIRECTIONAL" else layer)
        elif kind == "OUTPUT":
            model.add(keras.layers.Dense(spec["units"], activation=spec["activation"].lower()))
        else:
            sys.exit(f"bench: no Keras layer for {spec}")
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=net["learningRate"], rho=net["rho"], epsilon=net["epsilon"]),
        loss="binary_crossentropy",
    )
    return model


def time_keras(net, exercise, batches, inference, threads):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")  # the CPU build still probes for a GPU
    import numpy as np
    import tensorflow as tf

    if threads == "1":
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.random.set_seed(42)
    model = keras_model(net)
    rng = np.random.default_rng(42)
    vocab, length, batch = vocabulary(net), net["maxLen"], net["batchSize"]
    x = rng.integers(1, vocab, (batch * (batches + 2), length), dtype=np.int32)
    y = rng.integers(0, 2, (batch * (batches + 2), 1)).astype(np.float32)
    model.fit(x[: 2 * batch], y[: 2 * batch], batch_size=batch, epochs=1, shuffle=False, verbose=0)  # warm-up
    start = time.perf_counter()
    model.fit(x[2 * batch :], y[2 * batch :], batch_size=batch, epochs=1, shuffle=False, verbose=0)
    per_batch = (time.perf_counter() - start) / batches
    sequences = rng.integers(1, vocab, (inference, length), dtype=np.int32)
    model.predict(sequences[:512], batch_size=512, verbose=0)
    start = time.perf_counter()
    model.predict(sequences, batch_size=512, verbose=0)
    infer = (time.perf_counter() - start) * INFERENCE / inference
    intra = tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count()
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)")
    emit(
        f"Keras (tf-keras {tf.__version__})",
        exercise,
        threads,
        intra,
        model.count_params(),
        batches,
        per_batch * epoch_batches(net),
        infer,
        f"{blas_info()}; oneDNN {onednn}",
    )


def emit(framework, exercise, threads, used, params, batches, train, infer, blas):
    print(
        json.dumps(
            {
                "framework": framework,
                "exercise": exercise,
                "threads": "1" if threads == "1" else f"default ({used})",
                "params": int(params),
                "batches": batches,
                "trainSecondsPerEpoch": round(train, 2),
                "inferSeconds25k": round(infer, 2),
                "peakMemoryMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "blas": blas,
                "python": platform.python_version(),
            }
        ),
        flush=True,
    )


def time_kernel():
    """Kernel start (until it answers kernel_info) and first use of the library in it (imports, DL4J and
    ND4J initialisation, building 6.01's network), as a learner meets them when opening a notebook."""
    import subprocess

    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(
        kernel_name="rnnlab", startup_timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    ready = time.perf_counter() - start
    try:
        start = time.perf_counter()
        reply = kc.execute_interactive(
            'import org.rnnlab.grade.ReferenceModels;\nvar net = ReferenceModels.build("6.01", 1);\nnet.numParams()',
            timeout=300,
            output_hook=lambda msg: None,
        )
        first = time.perf_counter() - start
        ok = reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(
        json.dumps(
            {
                "framework": "kernel",
                "kernelStartSeconds": round(ready, 1),
                "firstCellSeconds": round(first, 1),
                "ok": ok,
            }
        )
    )


def label(r):
    return f"{r['framework']}, {r['threads']} thread{'' if r['threads'] == '1' else 's'}"


def fastest(rounds):
    """One setting's rounds as one run: the fastest training and the fastest prediction (on a shared machine
    other work only ever slows a run down), with the number of rounds and how far apart they were."""
    best = dict(min(rounds, key=lambda r: r["trainSecondsPerEpoch"]))
    best["inferSeconds25k"] = min(r["inferSeconds25k"] for r in rounds)
    best["rounds"] = len(rounds)
    for key, name in (("trainSecondsPerEpoch", "trainSpread"), ("inferSeconds25k", "inferSpread")):
        values = [r[key] for r in rounds]
        best[name] = round(max(values) / min(values) - 1, 3) if min(values) > 0 else None
    return best


def spread_line(table):
    """How far a setting's rounds differed at most, for training and prediction, with where (None for one round)."""
    runs = [(r, e["exercise"]) for e in table for r in e["runs"] if r.get("rounds", 1) > 1]
    if not runs:
        return None
    parts = []
    for key, what in (("trainSpread", "training"), ("inferSpread", "prediction")):
        r, ex = max(runs, key=lambda x: x[0][key] or 0)
        parts.append(f"{what} up to {r[key]:.0%} ({label(r)}, {ex})")
    n = max(r["rounds"] for r, _ in runs)
    return (
        f"Each figure is the fastest of {n} rounds (a fresh process each, the rounds one after another over all"
        f" models); the slowest round of a setting took longer by {parts[0]}, {parts[1]}."
    )


def report(results_file, plan, out_file, page=None):
    with open(results_file, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip().startswith("{")]

    def special(r):
        return r["framework"] in ("machine", "kernel", "peers' BLAS") or r["framework"].startswith("DL4J BLAS")

    info = {r["framework"]: r for r in rows if special(r)}
    runs = [r for r in rows if not special(r)]
    gemm = [v for r in info.values() for k, v in r.items() if "LargeGflops" in k]
    peak_gflops = max(gemm) if gemm else None
    exercises = sorted({r["exercise"] for r in runs})
    with open(plan, encoding="utf-8") as f:
        plans = json.load(f)
    variants = []
    for r in runs:
        if label(r) not in variants:
            variants.append(label(r))
    table, lines = [], []
    for ex in exercises:
        net = plans[ex]["network"]
        flops_train = 3 * forward_flops(net) * TRAIN_SAMPLES
        flops_infer = forward_flops(net) * INFERENCE
        rounds = {}
        for r in runs:
            if r["exercise"] == ex:
                rounds.setdefault(label(r), []).append(r)
        mine = {v: fastest(rs) for v, rs in rounds.items()}
        dl4j = next((r for r in mine.values() if r["framework"] == "DL4J" and r.get("asNotebooks")), None)
        peers = [r for r in mine.values() if not r["framework"].startswith("DL4J")]
        best_train = min(peers, key=lambda r: r["trainSecondsPerEpoch"], default=None)
        best_infer = min(peers, key=lambda r: r["inferSeconds25k"], default=None)
        entry = {
            "exercise": ex,
            "model": plans[ex]["title"],
            "gflopTrainEpoch": round(flops_train / 1e9, 1),
            "gflopPredict25k": round(flops_infer / 1e9, 1),
            "runs": list(mine.values()),
            "trainRatio": round(dl4j["trainSecondsPerEpoch"] / best_train["trainSecondsPerEpoch"], 2)
            if dl4j and best_train
            else None,
            "fastestTrainPeer": label(best_train) if best_train else None,
            "inferRatio": round(dl4j["inferSeconds25k"] / best_infer["inferSeconds25k"], 2)
            if dl4j and best_infer
            else None,
            "fastestInferPeer": label(best_infer) if best_infer else None,
        }
        table.append(entry)
    width = max([len(v) for v in variants] + [28])
    lines.append(
        "Seconds per epoch of training (20,000 reviews) / seconds to predict 25,000 reviews, and in brackets the"
    )
    lines.append(
        f"fraction of the one-core peak ({peak_gflops} GFLOP/s, the best float product measured below) that is"
        if peak_gflops
        else "fraction of the one-core peak (not measured)"
    )
    lines.append("(training counted as 3x the forward pass' matrix products):")
    lines.append("")
    lines.append(f"{'':<{width}}" + "".join(f"{e['exercise'] + ' ' + e['model']:>26}" for e in table))
    for v in variants:
        cells = []
        for e in table:
            r = next((x for x in e["runs"] if label(x) == v), None)
            if not r:
                cells.append(f"{'-':>26}")
                continue
            frac = ""
            if peak_gflops:
                ft = e["gflopTrainEpoch"] / r["trainSecondsPerEpoch"] / peak_gflops
                fi = e["gflopPredict25k"] / r["inferSeconds25k"] / peak_gflops
                frac = f" ({ft:.0%}/{fi:.0%})"
            cells.append(f"{r['trainSecondsPerEpoch']:.1f} / {r['inferSeconds25k']:.1f}{frac}".rjust(26))
        lines.append(f"{v:<{width}}" + "".join(cells))
    lines.append("")
    lines.append(
        f"{'DL4J / fastest peer, training':<{width}}"
        + "".join(f"{e['trainRatio'] if e['trainRatio'] is not None else '-':>26}" for e in table)
    )
    lines.append(
        f"{'DL4J / fastest peer, prediction':<{width}}"
        + "".join(f"{e['inferRatio'] if e['inferRatio'] is not None else '-':>26}" for e in table)
    )
    lines.append("(below 1: DL4J, as the notebooks run it, is faster than every peer setting measured)")
    spread = spread_line(table)
    if spread:
        lines.extend(textwrap.wrap(spread, 110))
    gflops = "".join(f"{e['gflopTrainEpoch']:.0f} / {e['gflopPredict25k']:.0f}".rjust(26) for e in table)
    lines.append(f"{'GFLOP per epoch / prediction':<{width}}" + gflops)
    lines.append("")
    for name, r in info.items():
        if "BLAS" in name:
            lines.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in r.items() if k != "framework"))
    blas = {}
    for r in runs:
        blas.setdefault(label(r), r.get("blas", ""))
    for v, b in blas.items():
        lines.append(f"{v}: {b}")
    kernel = info.get("kernel")
    if kernel and kernel.get("ok"):
        lines.append(
            f"Java kernel: answers {kernel['kernelStartSeconds']:.1f} s after start; its first cell (library "
            f"imports, ND4J start-up, building 6.01's network) takes {kernel['firstCellSeconds']:.1f} s."
        )
    print("\n".join(lines))
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump({"machine": info.get("machine"), "peakGflops": peak_gflops, "exercises": table}, f, indent=1)
    print(f"JSON: {out_file}")
    if page:
        write_page(page, lines, info.get("machine") or {}, runs)


def cpu_kind(machine):
    """The page section a run belongs to: the CPU model and whether it has AVX-512 (one table per kind of CPU)."""
    isa = "avx512" if "avx512f" in machine.get("isa", []) else "avx2" if "avx2" in machine.get("isa", []) else "sse"
    model = re.sub(r"[^a-z0-9]+", "-", (machine.get("cpu") or "unknown cpu").lower()).strip("-")
    return f"{model}-{isa}"


def write_page(page, lines, machine, runs):
    """Puts the run into PAGE's section for this kind of CPU, replacing an earlier run there, or into a new one."""
    from pathlib import Path

    kind = cpu_kind(machine)
    begin, end = f"<!-- bench:{kind}:begin -->", f"<!-- bench:{kind}:end -->"
    text = Path(page).read_text(encoding="utf-8")
    settings = ", ".join(f"`{k}={v}`" for k, v in machine.get("settings", {}).items()) or "none"
    set_by_machine = ", ".join(f"`{k}={v}`" for k, v in machine.get("machineSettings", {}).items()) or "none"
    block = (
        f"Measured by `./lab bench` on {machine.get('date', time.strftime('%Y-%m-%d'))}: {machine.get('cpu')} "
        f"({', '.join(machine.get('isa', []))}), {machine.get('cores')} cores, {machine.get('java')}; "
        f"settings in force {settings} (set by the machine itself: {set_by_machine}); "
        f"{runs[0]['batches'] if runs else 0} batches timed per model.\n\n```\n" + "\n".join(lines) + "\n```"
    )
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{begin}\n{block}\n{end}{tail}"
    else:
        # A kind of CPU not measured before: a section of its own after the last one (or where the page marks it).
        anchor = "<!-- bench:new -->"
        if anchor not in text:
            sys.exit(f"{page} has no {anchor} line to put a new kind of CPU before")
        isa = {"avx512": "AVX-512", "avx2": "AVX2"}.get(kind.rsplit("-", 1)[1], "no AVX2")
        heading = f"#### {machine.get('cpu')}, {isa}"
        text = text.replace(anchor, f"{heading}\n\n{begin}\n{block}\n{end}\n\n{anchor}", 1)
    Path(page).write_text(text, encoding="utf-8")
    print(f"{page}: benchmark section for {kind} updated")


def main(argv):
    if argv[:1] == ["env"]:
        env()
    elif argv[:1] == ["peak"]:
        peak()
    elif len(argv) == 6 and argv[0] in ("torch", "keras") and argv[5] in ("1", "default"):
        net = network(argv[1], argv[2])
        timer = time_torch if argv[0] == "torch" else time_keras
        timer(net, argv[2], int(argv[3]), int(argv[4]), argv[5])
    elif argv[:1] == ["kernel"]:
        time_kernel()
    elif len(argv) in (4, 5) and argv[0] == "report":
        report(argv[1], argv[2], argv[3], argv[4] if len(argv) == 5 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
