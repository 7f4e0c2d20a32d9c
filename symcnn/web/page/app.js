// The page: it asks the worker (symcnn in Pyodide) and shows the answers. Every figure comes from symcnn's own
// formulas and printers; what-if sliders evaluate the totals symcnn compiled to JavaScript.
const $ = (sel) => document.querySelector(sel);
const status = $("#status");
const timings = { started: performance.now() };
window.symcnnTimings = timings;

let worker = null;
let nextId = 1;
const pending = new Map();

function say(text, busy = false, error = false) {
  status.textContent = text;
  status.classList.toggle("busy", busy);
  status.classList.toggle("error", error);
}

function startWorker() {
  worker = new Worker("worker.js", { type: "module" });
  worker.onmessage = (event) => {
    const msg = event.data;
    if (msg.type === "ready") {
      timings.ready = performance.now() - timings.started;
      timings.worker = msg.steps;
      say(`Python ready in ${(timings.ready / 1000).toFixed(1)} s.`);
      return;
    }
    if (msg.type === "failed") {
      say("Python did not start: " + msg.error, false, true);
      return;
    }
    const job = pending.get(msg.id);
    if (job) {
      pending.delete(msg.id);
      $("#cancel").disabled = pending.size === 0;
      job.resolve(msg.answer);
    }
  };
}

function ask(request) {
  const id = nextId++;
  $("#cancel").disabled = false;
  return new Promise((resolve) => {
    pending.set(id, { resolve });
    worker.postMessage({ id, request });
  });
}

function cancel() {
  // a running Python call cannot be interrupted from outside: end the worker and start another
  worker.terminate();
  for (const job of pending.values()) job.resolve({ error: "cancelled" });
  pending.clear();
  $("#cancel").disabled = true;
  say("Cancelled; starting Python again…", true);
  startWorker();
}

function source() {
  const spec = $("#spec").value.trim();
  const base = spec ? { spec } : { zoo: $("#zoo").value };
  const set = $("#set").value.trim();
  if (set) base.set = set;
  const convention = {};
  for (const input of document.querySelectorAll("#conventions input")) {
    convention[input.name] = input.type === "checkbox" ? input.checked : Number(input.value);
  }
  base.convention = convention;
  return base;
}

function showError(where, answer) {
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = answer.error;
  where.replaceChildren(p);
}

async function run(cmd, extra = {}) {
  const t0 = performance.now();
  say(`${cmd}…`, true);
  const answer = await ask({ cmd, ...source(), ...extra });
  const ms = performance.now() - t0;
  timings[cmd] = ms;
  if (timings.first === undefined && !answer.error) timings.first = performance.now() - timings.started;
  say(answer.error ? `${cmd}: ${answer.error}` : `${cmd} in ${(ms / 1000).toFixed(2)} s.`, false, !!answer.error);
  return answer;
}

// -- panels -----------------------------------------------------------------------------------------------------
const panels = {
  async table() {
    const out = $("#table .out");
    const a = await run("table");
    timings.tableInPython = a.error ? undefined : performance.now();
    if (a.error) return showError(out, a);
    out.innerHTML = a.html;  // symcnn's HTML printer: every text escaped
    out.dataset.totals = JSON.stringify(a.totals);
    for (const table of out.querySelectorAll("table.layers")) sortable(table);
  },
  async key() {
    const a = await run("key");
    const frame = $("#key iframe");
    if (a.error) return showError($("#key .downloads"), a);
    frame.srcdoc = a.text;
    const stem = `${source().zoo || "spec"}-key`;
    for (const link of document.querySelectorAll("#key .downloads a")) {
      const fmt = link.dataset.format;
      const type = { tex: "application/x-tex", md: "text/markdown", html: "text/html" }[fmt];
      link.download = `${stem}.${fmt}`;
      if (fmt === "html") {
        link.href = URL.createObjectURL(new Blob([a.text], { type }));
        continue;
      }
      // the LaTeX and Markdown are made when asked for (the page shows the HTML)
      link.removeAttribute("href");
      link.onclick = async (event) => {
        if (link.href) return;
        event.preventDefault();
        const other = await ask({ cmd: "key", ...source(), format: fmt });
        if (other.error) return say(other.error, false, true);
        link.href = URL.createObjectURL(new Blob([other.text], { type }));
        link.click();
      };
    }
  },
  async figures() {
    const out = $("#figures .out");
    const a = await run("figures");
    if (a.error) return showError(out, a);
    out.innerHTML = a.svg.join("\n");
  },
  async whatif() {
    const a = await run("whatif", { width: $("#w-width").checked, resolution: $("#w-resolution").checked });
    if (a.error) return showError($("#sliders"), a);
    whatif(a);
  },
  async prove() {
    if ($("#theorem").options.length) return;
    const a = await ask({ cmd: "theorems" });
    for (const t of a.theorems || []) $("#theorem").append(new Option(`${t.slug}: ${t.title}`, t.slug));
  },
  async grade() {},
};

function sortable(table) {
  const heads = table.querySelectorAll("thead th");
  heads.forEach((th, col) => {
    th.addEventListener("click", () => {
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const down = th.dataset.order !== "down";
      for (const h of heads) delete h.dataset.order;
      th.dataset.order = down ? "down" : "up";
      const key = (row) => {
        const cell = row.cells[col];
        const n = cell && cell.dataset.sort !== undefined ? Number(cell.dataset.sort) : NaN;
        return Number.isNaN(n) ? (cell ? cell.textContent : "") : n;
      };
      rows.sort((r1, r2) => {
        const a = key(r1), b = key(r2);
        const c = typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
        return down ? -c : c;
      });
      body.replaceChildren(...rows);
    });
  });
}

function whatif(a) {
  // the expressions are symcnn's own totals printed as JavaScript over a0, a1, ... (no user text reaches them)
  const args = a.symbols.map((s) => s.arg);
  const compile = (expr) => new Function(...args, `"use strict"; return (${expr});`);
  const totals = Object.fromEntries(Object.entries(a.totals).map(([k, e]) => [k, compile(e)]));
  const layers = a.layers.map((l) => ({ name: l.name, macs: compile(l.macs), params: compile(l.params) }));
  const sliders = $("#sliders");
  sliders.replaceChildren();
  const values = {};
  for (const s of a.symbols) {
    values[s.arg] = s.origin;
    const label = document.createElement("label");
    const name = document.createElement("span");
    name.textContent = s.name;
    const input = document.createElement("input");
    Object.assign(input, { type: "range", min: s.min, max: s.max, step: s.integer ? 1 : 0.01, value: s.origin });
    input.dataset.arg = s.arg;
    const shown = document.createElement("output");
    shown.textContent = String(s.origin);
    input.addEventListener("input", () => {
      values[s.arg] = Number(input.value);
      shown.textContent = input.value;
      update();
    });
    label.append(name, input, shown);
    sliders.append(label);
  }
  const fmt = (x) => Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "—";
  function update() {
    const t0 = performance.now();
    const point = args.map((k) => values[k]);
    const rows = Object.entries(totals).map(([k, f]) => `<tr><td>${k}</td><td class="num">${fmt(f(...point))}</td></tr>`);
    $("#w-totals").innerHTML = rows.join("");
    const macs = totals.macs(...point);
    const top = layers.map((l) => ({ name: l.name, macs: l.macs(...point) })).sort((x, y) => y.macs - x.macs).slice(0, 5);
    const list = $("#w-layers");
    list.replaceChildren(...top.map((l) => {
      const li = document.createElement("li");
      li.textContent = `${l.name}: ${fmt(l.macs)} (${(100 * l.macs / macs).toFixed(1)}%)`;
      return li;
    }));
    timings.slider = performance.now() - t0;
  }
  $("#w-formulas").textContent = Object.entries(a.shown).map(([k, e]) => `${k} = ${e}`).join("\n\n");
  update();
}

async function prove() {
  const a = await run("prove", { slug: $("#theorem").value, claim: $("#claim").value.trim() });
  $("#prove-summary").textContent = a.error || (a.verified ? "Proved. " + a.summary : "Not proved: " + (a.refused || ""));
  $("#prove iframe").srcdoc = a.html || "";
  $("#prove").dataset.text = a.text || "";
}

async function grade() {
  const a = await ask({ cmd: "check", sheet: $("#sheet").value, filename: $("#sheet").dataset.filename || "sheet.txt" });
  timings.check = performance.now();
  if (a.error) {
    $("#grade-summary").textContent = a.error;
    return;
  }
  $("#grade-summary").textContent = `${a.score.right} of ${a.score.gradable} right`;
  $("#grade iframe").srcdoc = a.html;
  $("#grade").dataset.verdicts = JSON.stringify(a.verdicts);
}

let current = "table";
function show(name) {
  current = name;
  for (const b of document.querySelectorAll("nav [role=tab]")) b.setAttribute("aria-selected", b.dataset.panel === name);
  for (const p of document.querySelectorAll(".panel")) p.hidden = p.id !== name;
  return panels[name]();
}

function readFile(input, target) {
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    if (file.size > 2_000_000) return say(`${file.name}: larger than 2 MB`, false, true);
    target.value = await file.text();
    target.dataset.filename = file.name;
  });
}

async function init() {
  startWorker();  // Python starts at once; the menu comes from the build's zoo.json meanwhile
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js").catch(() => {});
  const zoo = await (await fetch("zoo.json")).json();
  for (const n of zoo) $("#zoo").append(new Option(`${n.name}: ${n.title}`, n.name));
  $("#zoo").value = "vgg16";
  for (const b of document.querySelectorAll("nav [role=tab]")) b.addEventListener("click", () => show(b.dataset.panel));
  $("#cancel").addEventListener("click", cancel);
  $("#prove-go").addEventListener("click", prove);
  $("#grade-go").addEventListener("click", grade);
  readFile($("#spec-file"), $("#spec"));
  readFile($("#sheet-file"), $("#sheet"));
  const again = () => show(current);
  $("#zoo").addEventListener("change", again);
  $("#spec").addEventListener("change", again);
  $("#set").addEventListener("change", again);
  for (const input of document.querySelectorAll("#conventions input")) input.addEventListener("change", again);
  for (const id of ["#w-width", "#w-resolution"]) $(id).addEventListener("change", () => show("whatif"));
  await show("table");
  document.body.dataset.ready = "yes";
  const info = await ask({ cmd: "init" });
  if (!info.error) {
    $("#version").textContent = info.version;
    $("#python").textContent = info.python;
  }
}

init();
