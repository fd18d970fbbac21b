#!/usr/bin/env python3
"""The PyTorch side of `./lab bench`, and its report.

  bench.py torch ID BATCHES INFERENCE   time exercise ID's network in PyTorch on the same synthetic data
                                        shape as the DL4J side; print one JSON line
  bench.py kernel                       seconds until the Java kernel answers, and until a first cell has
                                        loaded the library and built an exercise's network; one JSON line
  bench.py report RESULTS.jsonl OUT.json [PAGE.md]
                                        the table of both frameworks with DL4J/PyTorch ratios; also as JSON,
                                        and into the torch-bench section of PAGE.md (docs/performance.md) when given

The PyTorch models have the exercises' layers and settings: Embedding(8000, 32), spatial dropout 0.4
(Dropout1d), the recurrent part, dropout, one sigmoid output (as logits with BCEWithLogitsLoss), RMSprop
(lr 0.001, alpha 0.9, eps 1e-7), batches of 128, one thread. PyTorch's cells carry two bias vectors where
Keras and DL4J have one, and its GRU is the reset-after form, so its parameter counts are slightly higher.
"""

import json
import os
import resource
import sys
import time

VOCAB, LENGTH, BATCH, UNITS = 8000, 200, 128, 32
EPOCH_BATCHES = (20_000 + BATCH - 1) // BATCH
INFERENCE = 25_000


def model(exercise):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCAB, UNITS)
            self.spatial = nn.Dropout1d(0.4)
            kind = {"6.01": nn.RNN, "6.02": nn.LSTM, "6.03": nn.GRU, "6.04": nn.LSTM, "6.05": nn.LSTM}[exercise]
            self.bidirectional = exercise == "6.04"
            self.recurrent = kind(
                UNITS,
                UNITS,
                batch_first=True,
                bidirectional=self.bidirectional,
                num_layers=2 if exercise == "6.05" else 1,
            )
            self.dropout = nn.Dropout(0.5 if exercise == "6.05" else 0.4)
            self.out = nn.Linear(2 * UNITS if self.bidirectional else UNITS, 1)

        def forward(self, x):
            e = self.spatial(self.embedding(x).transpose(1, 2)).transpose(1, 2)
            _, h = self.recurrent(e)
            h = h[0] if isinstance(h, tuple) else h  # LSTM returns (h_n, c_n)
            last = torch.cat([h[-2], h[-1]], dim=1) if self.bidirectional else h[-1]
            return self.out(self.dropout(last))

    return Net()


def time_torch(exercise, batches, inference):
    import torch

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    torch.manual_seed(42)
    net = model(exercise)
    opt = torch.optim.RMSprop(net.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    g = torch.Generator().manual_seed(42)
    data = [
        (torch.randint(1, VOCAB, (BATCH, LENGTH), generator=g), torch.randint(0, 2, (BATCH, 1), generator=g).float())
        for _ in range(batches + 2)
    ]

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    net.train()
    step(*data[0])
    step(*data[1])  # warm-up
    start = time.perf_counter()
    for x, y in data[2:]:
        step(x, y)
    per_batch = (time.perf_counter() - start) / batches

    net.eval()
    sequences = torch.randint(1, VOCAB, (inference, LENGTH), generator=g)
    with torch.no_grad():
        net(sequences[:512])
        start = time.perf_counter()
        for i in range(0, inference, 512):
            torch.sigmoid(net(sequences[i : i + 512]))
        infer = (time.perf_counter() - start) * INFERENCE / inference
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        json.dumps(
            {
                "framework": "PyTorch " + torch.__version__,
                "exercise": exercise,
                "params": sum(p.numel() for p in net.parameters()),
                "batches": batches,
                "trainSecondsPerEpoch": round(per_batch * EPOCH_BATCHES, 2),
                "inferSeconds25k": round(infer, 2),
                "peakMemoryMB": peak,
            }
        )
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


def report(results_file, out_file, readme=None):
    rows = [json.loads(line) for line in open(results_file) if line.strip().startswith("{")]
    kernel = next((r for r in rows if r["framework"] == "kernel"), None)
    rows = [r for r in rows if r["framework"] != "kernel"]
    names = {"6.01": "SimpleRNN", "6.02": "LSTM", "6.03": "GRU", "6.04": "Bidirectional LSTM", "6.05": "Stacked LSTM"}
    table = []
    for ex in sorted({r["exercise"] for r in rows}):
        d = next((r for r in rows if r["exercise"] == ex and r["framework"] == "DL4J"), None)
        t = next((r for r in rows if r["exercise"] == ex and r["framework"].startswith("PyTorch")), None)
        table.append(
            {
                "exercise": ex,
                "model": names.get(ex, ex),
                "dl4j": d,
                "torch": t,
                "trainRatio": round(d["trainSecondsPerEpoch"] / t["trainSecondsPerEpoch"], 2) if d and t else None,
                "inferRatio": round(d["inferSeconds25k"] / t["inferSeconds25k"], 2) if d and t else None,
            }
        )
    lines = []
    lines.append(
        f"{'exercise':<9}{'model':<20}{'params DL4J/PyTorch':>22}{'train s/epoch DL4J':>20}{'PyTorch':>9}{'ratio':>7}"
        f"{'infer s DL4J':>14}{'PyTorch':>9}{'ratio':>7}{'peak MB DL4J':>14}{'PyTorch':>9}"
    )
    for r in table:
        d, t = r["dl4j"] or {}, r["torch"] or {}

        def f(x, fmt):
            return format(x, fmt) if x is not None else "-"

        lines.append(
            f"{r['exercise']:<9}{r['model']:<20}{f(d.get('params'), ',') + ' / ' + f(t.get('params'), ','):>22}"
            f"{f(d.get('trainSecondsPerEpoch'), '.1f'):>20}{f(t.get('trainSecondsPerEpoch'), '.1f'):>9}"
            f"{f(r['trainRatio'], '.2f'):>7}"
            f"{f(d.get('inferSeconds25k'), '.1f'):>14}{f(t.get('inferSeconds25k'), '.1f'):>9}"
            f"{f(r['inferRatio'], '.2f'):>7}"
            f"{f(d.get('peakMemoryMB'), 'd'):>14}{f(t.get('peakMemoryMB'), 'd'):>9}"
        )
    if not any(r["torch"] for r in table):
        lines.append("PyTorch comparison skipped: PyTorch is not installed (Debian: python3-torch).")
    lines.append("ratio = DL4J / PyTorch: below 1 means DL4J is faster.")
    if kernel and kernel.get("ok"):
        lines.append(
            f"Java kernel: answers {kernel['kernelStartSeconds']:.1f} s after start; its first cell (library "
            f"imports, ND4J start-up, building 6.01's network) takes {kernel['firstCellSeconds']:.1f} s."
        )
    print("\n".join(lines))
    with open(out_file, "w") as f:
        json.dump(table, f, indent=1)
    print(f"JSON: {out_file}")
    if readme:
        write_readme(readme, lines, rows)


def write_readme(readme, lines, rows):
    from pathlib import Path

    from machine import cpu_model, java_version

    begin, end = "<!-- torch-bench:begin -->", "<!-- torch-bench:end -->"
    text = Path(readme).read_text(encoding="utf-8")
    if begin not in text or end not in text:
        sys.exit(f"{readme} has no {begin} ... {end} section")
    java = java_version()
    cpu = cpu_model()
    torch = next((r["framework"] for r in rows if r["framework"].startswith("PyTorch")), "PyTorch: not installed")
    block = (
        f"Measured by `./lab bench` on {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores ({cpu}), {java}, "
        f"DL4J 1.0.0-M2.1, {torch}, one thread each (`OMP_NUM_THREADS=1`, `torch.set_num_threads(1)`), "
        f"{rows[0]['batches']} batches timed per model.\n\n```\n" + "\n".join(lines) + "\n```"
    )
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    Path(readme).write_text(f"{head}{begin}\n{block}\n{end}{tail}", encoding="utf-8")
    print(f"{readme}: benchmark section updated")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "torch":
        time_torch(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 2 and sys.argv[1] == "kernel":
        time_kernel()
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else None)
    else:
        sys.exit(__doc__)
