// The service worker: every file of the built folder (files.json lists them) is cached on the first visit, so a
// second visit starts from the cache, and the page works offline.  A new build has a new version: a new cache.
const MANIFEST = "files.json";

async function manifest() {
  const res = await fetch(MANIFEST, { cache: "no-store" });
  return res.json();
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const m = await manifest();
    const cache = await caches.open("symcnn-" + m.version);
    await cache.addAll(m.files.map((f) => "./" + f).concat(["./"]));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const m = await manifest().catch(() => null);
    if (m) {
      for (const name of await caches.keys()) {
        if (name.startsWith("symcnn-") && name !== "symcnn-" + m.version) await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.endsWith(MANIFEST)) {
    return;
  }
  event.respondWith((async () => {
    const hit = await caches.match(event.request, { ignoreSearch: true });
    return hit || fetch(event.request);
  })());
});
