// The course in a real browser: Debian's Chromium, driven by playwright-core, through JupyterLab and
// Notebook 7 as `./lab notebook --quick` serves them.
//
//   node tools/browser/notebook_test.mjs [--out DIR]
//
// JupyterLab, exercise 6.01: open it (its figure renders), run all cells untouched (the checks print their
// hints), then type the six small "Code it!" answers (five parts of the network, the trainer) into their
// cells as a learner would and run all cells again: every check passes, the progress bar ends on its final line, the live training chart is one image redrawn in place,
// the confusion matrix is a PNG. JupyterLab, exercise 6.07 (untouched): HTML tables and PNG plots.
// Notebook 7, exercise 6.07: the same. Every run: the kernel is idle within KERNEL_IDLE_S of opening the
// notebook, and no cell shows an error or stderr. Screenshots go to DIR (default build/browser).
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import net from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const KERNEL_IDLE_S = 60;       // opening a notebook until its kernel is idle
const RUN_ALL_S = Number(process.env.RUN_ALL_S || 300);         // one "Run All Cells" of a quick-mode exercise
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const outArg = process.argv.indexOf("--out");
const OUT = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(ROOT, "build", "browser"));

const results = [];
function check(name, ok, detail = "") {
  results.push({ name, ok, detail });
  console.log(`${ok ? "ok  " : "FAIL"}  ${name}${detail ? ` (${detail})` : ""}`);
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

// The answer of each "Code it!" cell of a solution notebook: the lines between its solution markers.
function answers(solutionFile) {
  const nb = JSON.parse(fs.readFileSync(solutionFile, "utf8"));
  const found = [];
  for (const cell of nb.cells) {
    const src = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const m = src.match(/\/\/ BEGIN SOLUTION[^\n]*\n([\s\S]*?)\n\s*\/\/ END SOLUTION/);
    if (cell.cell_type === "code" && m) found.push(m[1]);
  }
  return found;
}

async function startJupyter(root) {
  const port = await freePort();
  const token = crypto.randomBytes(16).toString("hex");
  const state = fs.mkdtempSync(path.join(os.tmpdir(), "rnnlab-lab-state-"));
  // The test reads every cell's outputs from the page at once; by default JupyterLab keeps only the cells
  // near the viewport in the page (windowing), so this run's settings turn that off.
  const tracker = path.join(state, "settings", "@jupyterlab", "notebook-extension");
  fs.mkdirSync(tracker, { recursive: true });
  fs.writeFileSync(path.join(tracker, "tracker.jupyterlab-settings"), JSON.stringify({ windowingMode: "none" }));
  // No "official Jupyter news?" prompt over the screenshots (a first-start question, not the course's).
  const apputils = path.join(state, "settings", "@jupyterlab", "apputils-extension");
  fs.mkdirSync(apputils, { recursive: true });
  fs.writeFileSync(path.join(apputils, "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false" }));
  const log = fs.openSync(path.join(OUT, "jupyter.log"), "w");
  // ./lab notebook as a learner runs it; the options after it only pick the port, the token, a copy of the
  // notebooks (typing into them must not change the repository's) and settings of this run's own.
  const proc = spawn(path.join(ROOT, "lab"), ["notebook", "--quick", `--port=${port}`,
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${root}`,
    `--LabApp.user_settings_dir=${state}/settings`, `--LabApp.workspaces_dir=${state}/workspaces`],
  { stdio: ["ignore", log, log], detached: true });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`${base}/api/status?token=${token}`);
      if (r.ok) return { proc, base, token };
    } catch { /* not up yet */ }
    if (proc.exitCode !== null) throw new Error(`./lab notebook exited (${proc.exitCode}); see ${OUT}/jupyter.log`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`JupyterLab did not answer within 5 minutes; see ${OUT}/jupyter.log`);
}

// The kernel state that JupyterLab and Notebook 7 show a learner (the execution indicator's tooltip,
// "Kernel status: Idle"); its data-status attribute alone says "idle" before any kernel is connected.
const KERNEL_IDLE = () => [...document.querySelectorAll(".jp-Notebook-ExecutionIndicator-tooltip")]
  .some((t) => t.textContent.includes("Kernel status: Idle"));

async function kernelIdle(page, limitS) {
  await page.waitForFunction(KERNEL_IDLE, null, { timeout: limitS * 1000, polling: 200 });
}

async function runAll(page) {
  await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
  await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
  // Busy first, then idle with no cell waiting ("[*]") any more.
  await page.waitForSelector('.jp-Notebook-ExecutionIndicator[data-status="busy"]', { timeout: 30000 }).catch(() => {});
  try {
    const start = Date.now();
    await page.waitForFunction(() => ![...document.querySelectorAll(".jp-InputArea-prompt")]
      .some((p) => p.textContent.includes("*")), null, { timeout: RUN_ALL_S * 1000, polling: 500 });
    await kernelIdle(page, Math.max(10, RUN_ALL_S - (Date.now() - start) / 1000));
  } catch (e) {
    // What the page showed when the run did not end: the kernel's state and every prompt.
    const state = await page.$$eval(".jp-Notebook-ExecutionIndicator-tooltip", (n) => n.map((x) => x.textContent.trim()));
    const prompts = await page.$$eval(".jp-InputArea-prompt", (n) => n.map((x) => x.textContent).filter(Boolean));
    await page.screenshot({ path: path.join(OUT, "failure-run-all.png") });
    throw new Error(`Run All did not end within ${RUN_ALL_S} s: kernel ${state}, prompts ${prompts.join(" ")}`);
  }
}

// What the page shows, per code cell: its source, the text of its outputs, images, tables, stderr/errors.
async function cells(page) {
  return page.$$eval(".jp-CodeCell", (nodes) => nodes.map((n) => ({
    source: [...n.querySelectorAll(".jp-InputArea-editor .cm-line")].map((l) => l.textContent).join("\n"),
    text: [...n.querySelectorAll(".jp-OutputArea-output")].map((o) => o.textContent).join("\n"),
    pngs: [...n.querySelectorAll('.jp-OutputArea-output img[src^="data:image/png"]')]
      .map((i) => ({ w: i.naturalWidth, h: i.naturalHeight })),
    tables: n.querySelectorAll(".jp-OutputArea-output table").length,
    stderr: [...n.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map((o) => o.textContent.slice(0, 300)),
  })));
}

// With RNNLAB_BROWSER_DEBUG=1, every kernel message type on the page's websockets, with its time.
function traceKernel(page) {
  if (!process.env.RNNLAB_BROWSER_DEBUG) return;
  const t0 = Date.now();
  page.on("websocket", (ws) => {
    if (!ws.url().includes("/api/kernels/")) return;
    console.log(`  [ws ${((Date.now() - t0) / 1000).toFixed(1)} s] open ${ws.url().split("?")[0]}`);
    const show = (dir) => (f) => {
      const text = typeof f.payload === "string" ? f.payload : f.payload.toString("latin1");
      const type = text.match(/"msg_type":\s*"(\w+)"/)?.[1];
      const state = text.match(/"execution_state":\s*"(\w+)"/)?.[1] ?? "";
      console.log(`  [ws ${((Date.now() - t0) / 1000).toFixed(1)} s] ${dir} ${type} ${state}`);
    };
    ws.on("framesent", show(">"));
    ws.on("framereceived", show("<"));
    ws.on("close", () => console.log(`  [ws ${((Date.now() - t0) / 1000).toFixed(1)} s] closed`));
  });
  page.on("console", (m) => console.log(`  [console ${m.type()}] ${m.text().slice(0, 200)}`));
}

async function openNotebook(context, url, label) {
  const page = await context.newPage();
  traceKernel(page);
  const opened = Date.now();
  await page.goto(url);
  await page.waitForSelector(".jp-CodeCell", { timeout: 120000 });
  const idle = await kernelIdle(page, KERNEL_IDLE_S - (Date.now() - opened) / 1000).then(
    () => (Date.now() - opened) / 1000, () => null);
  check(`${label}: kernel idle within ${KERNEL_IDLE_S} s of opening`, idle !== null, idle === null ? "never idle" : `${idle.toFixed(1)} s`);
  // A learner should meet no dialog on opening (such as "Select Kernel"): the notebook names its kernel.
  await page.waitForTimeout(1000);
  const dialogs = await page.$$eval(".jp-Dialog", (d) => d.map((x) => x.textContent.slice(0, 80)));
  if (dialogs.length) await page.screenshot({ path: path.join(OUT, `dialog-${Date.now()}.png`) });
  check(`${label}: no dialog on opening`, dialogs.length === 0, dialogs.join(" | "));
  return page;
}

function noErrors(label, shown) {
  const bad = shown.flatMap((c, i) => c.stderr.map((s) => `cell ${i}: ${s}`));
  check(`${label}: no error or stderr output`, bad.length === 0, bad.slice(0, 3).join(" | "));
}

async function exercise601(context, base, token) {
  const label = "JupyterLab 6.01";
  const page = await openNotebook(context, `${base}/lab/tree/exercises/6.01-simple-rnn.ipynb?token=${token}`, label);
  await figureShown(page, label, "rnn-unrolled.svg");
  await runAll(page);
  let shown = await cells(page);
  noErrors(`${label} untouched`, shown);
  const hints = shown.filter((c) => /^Check\.(part|model|training)/.test(c.source.trim())).map((c) => c.text);
  check(`${label} untouched: the part, model and training checks print a ✗ with a hint`,
    hints.length === 7 && hints.every((t) => t.includes("✗") && t.length > 40), hints.map((t) => t.slice(0, 80)).join(" | "));
  await page.screenshot({ path: path.join(OUT, "lab-6.01-untouched.png"), fullPage: false });

  // The learner types each answer below the "Code it!" line of its cell.
  const codeIt = page.locator(".jp-CodeCell", { hasText: "// Code it!" });
  const typed = answers(path.join(ROOT, "notebooks", "solutions", "6.01-simple-rnn.ipynb"));
  // Five parts of the network (embedding, dropouts, recurrent layer, output, optimizer), then the trainer.
  check(`${label}: six small "Code it!" cells to fill`, (await codeIt.count()) === typed.length && typed.length === 6, `${await codeIt.count()} cells`);
  for (let i = 0; i < typed.length; i++) {
    const editor = codeIt.nth(i).locator(".cm-content");
    await editor.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    for (const line of typed[i].split("\n")) {
      await page.keyboard.type(line.trimStart());
      await page.keyboard.press("Enter");
    }
  }
  await runAll(page);
  shown = await cells(page);
  noErrors(`${label} answered`, shown);
  const checks = shown.filter((c) => /^Check\.(part|model|training)/.test(c.source.trim()));
  check(`${label} answered: the five part checks, the model and the training checks pass`,
    checks.length === 7 && checks.every((c) => c.text.includes("✓") && !c.text.includes("✗")),
    checks.map((c) => c.text.split("\n")[0] + (c.text.includes("✗") ? " " + c.text.slice(c.text.indexOf("✗"), c.text.indexOf("✗") + 200) : "")).join(" | "));
  const fit = shown.find((c) => c.source.includes("trainer.fit("));
  const lines = (fit?.text ?? "").split("\n");
  const bars = lines.filter((l) => /^\s*\d+\/\d+ \[/.test(l));
  const finals = bars.filter((l) => /^\s*(\d+)\/\1 \[=+\]/.test(l));
  check(`${label}: each epoch's progress bar ends on its final line, drawn over in place`,
    bars.length > 0 && bars.length === finals.length && finals.length === lines.filter((l) => /^Epoch \d+\/\d+/.test(l)).length,
    `${bars.length} bar lines, ${finals.length} final: ${bars.slice(-1)[0] ?? ""}`.slice(0, 200));
  check(`${label}: the live training chart is one PNG, redrawn in place to the epochs' curves`,
    fit && fit.pngs.length === 1 && fit.pngs[0].h >= 300, JSON.stringify(fit?.pngs));
  const matrix = shown.find((c) => c.source.includes("Plots.confusionMatrix"));
  check(`${label}: the confusion matrix is a PNG plot`, matrix && matrix.pngs.length === 1, JSON.stringify(matrix?.pngs));
  await page.locator(".jp-CodeCell", { hasText: "trainer.fit(" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, "lab-6.01-answered-training.png"), fullPage: false });
  await page.close();
}

// A figure of notebooks/figures/ in a markdown cell: loaded (the browser knows its size) and drawn.
async function figureShown(page, label, file) {
  const sel = `.jp-RenderedMarkdown img[src*="${file}"]`;
  const size = await page.waitForFunction((q) => {
    const img = document.querySelector(q);
    return img && img.complete && img.naturalWidth > 0 ? { w: img.naturalWidth, h: img.naturalHeight } : null;
  }, sel, { timeout: 20000, polling: 250 }).then((h) => h.jsonValue()).catch(() => null);
  check(`${label}: the figure ${file} renders`, size !== null && size.w > 300, JSON.stringify(size));
}

async function exercise607(context, url, label, shot) {
  const page = await openNotebook(context, url, label);
  await figureShown(page, label, "sliding-window.svg");
  await runAll(page);
  const shown = await cells(page);
  noErrors(label, shown);
  const tables = shown.reduce((n, c) => n + c.tables, 0);
  const pngs = shown.reduce((n, c) => n + c.pngs.length, 0);
  check(`${label}: tables render as HTML tables`, tables >= 2, `${tables} tables`);
  check(`${label}: plots render as PNG images`, pngs >= 2, `${pngs} images`);
  const hint = shown.find((c) => /^Check\.layers/.test(c.source.trim()));
  check(`${label}: the check cell prints a ✗ with a hint`, hint && hint.text.includes("✗") && hint.text.length > 40, hint?.text.slice(0, 100));
  await page.locator(".jp-CodeCell", { hasText: "Tables.html(airline, 6)" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, shot), fullPage: false });
  await page.close();
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "rnnlab-notebooks-"));
  for (const folder of ["exercises", "figures"]) {   // the notebooks and the figures they show, as in notebooks/
    fs.cpSync(path.join(ROOT, "notebooks", folder), path.join(root, folder), { recursive: true });
  }
  const { proc, base, token } = await startJupyter(root);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "rnnlab-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 1000 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  try {
    await exercise601(context, base, token);
    await exercise607(context, `${base}/lab/tree/exercises/6.07-airline-forecasting.ipynb?token=${token}`,
      "JupyterLab 6.07", "lab-6.07.png");
    await exercise607(context, `${base}/notebooks/exercises/6.07-airline-forecasting.ipynb?token=${token}`,
      "Notebook 7 6.07", "notebook7-6.07.png");
  } catch (e) {
    check("the browser run finished", false, String(e).slice(0, 300));
  } finally {
    await context.close();
    try { process.kill(-proc.pid, "SIGTERM"); } catch { /* already gone */ }
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`browser: ${results.length - failed} passed, ${failed} failed (screenshots in ${OUT})`);
  process.exit(failed ? 1 : 0);
}

main();
