// symcnn in a Web Worker: Pyodide (Python 3.14 compiled to WebAssembly) runs symcnn here, so the page never
// freezes; the page cancels a long call by ending this worker and starting another.
import { loadPyodide } from "./pyodide/pyodide.mjs";

let handle = null;
const started = performance.now();

const steps = {};
const ready = (async () => {
  const site = fetch(new URL("./site.zip", self.location.href));  // in parallel with the runtime
  const files = fetch(new URL("./files.zip", self.location.href));
  const py = await loadPyodide({ indexURL: new URL("./pyodide/", self.location.href).href });
  steps.runtime = performance.now() - started;
  const zip = await site;
  if (!zip.ok) throw new Error("site.zip: " + zip.status);
  // imported straight from the zip (compiled code only): nothing to unpack
  py.FS.writeFile("/home/pyodide/site.zip", new Uint8Array(await zip.arrayBuffer()));
  const unpacked = await files;  // the few packages that read files beside their modules
  if (!unpacked.ok) throw new Error("files.zip: " + unpacked.status);
  py.unpackArchive(await unpacked.arrayBuffer(), "zip", { extractDir: "/home/pyodide/files" });
  steps.unpacked = performance.now() - started;
  py.runPython("import sys; sys.path[:0] = ['/home/pyodide/site.zip', '/home/pyodide/files']\nfrom symcnn.web.api import handle");
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
