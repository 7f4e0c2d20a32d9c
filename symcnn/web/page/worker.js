// symcnn in a Web Worker: Pyodide (Python 3.14 compiled to WebAssembly) runs symcnn here, so the page never
// freezes; the page cancels a long call by ending this worker and starting another.
import { loadPyodide } from "./pyodide/pyodide.mjs";

let handle = null;
const started = performance.now();

const steps = {};
const ready = (async () => {
  const site = fetch(new URL("./site.zip", self.location.href));  // in parallel with the runtime
  const py = await loadPyodide({ indexURL: new URL("./pyodide/", self.location.href).href });
  steps.runtime = performance.now() - started;
  const zip = await site;
  if (!zip.ok) throw new Error("site.zip: " + zip.status);
  py.unpackArchive(await zip.arrayBuffer(), "zip", { extractDir: "/home/pyodide/site" });
  steps.unpacked = performance.now() - started;
  py.runPython("import sys; sys.path.insert(0, '/home/pyodide/site')\nfrom symcnn.web.api import handle");
  handle = py.globals.get("handle");
  steps.imported = performance.now() - started;
  return performance.now() - started;
})();

ready.then(
  (ms) => postMessage({ type: "ready", ms, steps }),
  (err) => postMessage({ type: "failed", error: String(err && err.message ? err.message : err) }),
);

self.onmessage = async (event) => {
  const { id, request } = event.data;
  try {
    await ready;
    const t0 = performance.now();
    const answer = JSON.parse(handle(JSON.stringify(request)));
    postMessage({ type: "answer", id, answer, ms: performance.now() - t0 });
  } catch (err) {
    postMessage({ type: "answer", id, answer: { error: String(err && err.message ? err.message : err) } });
  }
};
