// A copy of the phone page and its files, so that a reload without a network still opens it with
// the outbox (service workers run on HTTPS and localhost only; elsewhere the outbox still keeps
// every idea, but a reload without a network shows the browser's error page). The files are
// those the page names: its stylesheets and scripts, and every module its scripts import (the
// server lists them as module preloads). The worker (phone-sw.js) keeps them in the same cache.
import { root } from "./page.js";

// The same name as CACHE in phone-sw.js.
const OFFLINE_CACHE = "phone-pages-v2";

export function keepOfflineCopy() {
  if (!("serviceWorker" in navigator && window.caches && root.dataset.serviceWorker)) return;
  navigator.serviceWorker.register(root.dataset.serviceWorker).catch(() => {});
  const named = document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=modulepreload]");
  const files = [...named].map((n) => n.src || n.href);
  caches
    .open(OFFLINE_CACHE)
    .then((cache) =>
      Promise.all(
        [location.pathname + location.search, ...files].map((url) =>
          cache.match(url, { ignoreVary: true }).then((hit) => hit || cache.add(url)),
        ),
      ),
    )
    .then(() => (root.dataset.offlineCopy = "ready"))
    .catch(() => {});
}
