// The phone page's service worker: a reload without a network still opens the page from a copy,
// with its outbox (localStorage) intact, so waiting ideas are shown and sent once the network
// returns. Online, everything comes from the server as usual (network first) and the copy is
// refreshed; live traffic (/socket.io/) is never touched. Browsers run service workers only on
// HTTPS or localhost (docs/deploying.md).
"use strict";
// The same name as OFFLINE_CACHE in phone/offline.js; a new name whenever the files the page
// needs change (the old copies are dropped on activation).
const CACHE = "phone-pages-v2";
// A navigation waits this long for the server before the copy is shown (a venue's Wi-Fi can hang
// a request for minutes instead of failing it).
const NAVIGATION_WAIT_MS = 4000;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) =>
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("phone-pages-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  ),
);

function keep(request, response) {
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

function copyOf(request) {
  return caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: request.mode === "navigate", ignoreVary: true }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/socket.io/")) return;
  const network = fetch(request).then((response) => keep(request, response));
  if (request.mode !== "navigate") {
    event.respondWith(network.catch(() => copyOf(request).then((copy) => copy || Response.error())));
    return;
  }
  event.respondWith(
    new Promise((resolve) => {
      let settled = false;
      const fallBack = () =>
        copyOf(request).then((copy) => {
          if (copy && !settled) {
            settled = true;
            resolve(copy);
          }
          return copy;
        });
      const timer = setTimeout(fallBack, NAVIGATION_WAIT_MS);
      network
        .then((response) => {
          clearTimeout(timer);
          if (!settled) {
            settled = true;
            resolve(response);
          }
        })
        .catch(() => {
          clearTimeout(timer);
          fallBack().then((copy) => {
            if (!copy && !settled) {
              settled = true;
              resolve(Response.error());
            }
          });
        });
    }),
  );
});
