// The service worker: keeps the app shell so that, once Today has loaded, a whole session
// can be done with no network. The server writes SHELL in front of this script: the
// version (from the files' contents), the static files, the pages, and a few addresses.
//
// - Static files: from the cache first; a new version of this script brings new caches.
// - Today, the session page and the plan (/api/plan/): from the network first, so they are
//   always fresh when online, and from the cache when offline. These hold personal data,
//   so they live in their own cache, emptied at log-out. A visit to Today brings the others
//   up to date when the server's stamp of them (SHELL.stamp) has changed.
// - Any other page: from the network; when there is none, our own "you are offline" page
//   (SHELL.offline, kept at install and again each time Today loads, in the patient's
//   language), never the browser's error page. It holds nothing of the account, so it is
//   kept with the static files and stays after log-out.
// - Anything else, and every POST (session uploads), goes straight to the network.

/* global SHELL */
const STATIC_CACHE = `static-${SHELL.version}`;
const PERSONAL_CACHE = "personal";
const NETWORK_PATIENCE_MS = 6000; // then a weak connection loses to the copy in the cache
// The exercise pictures' data changes with the language, so it is kept like the pages.
const PERSONAL_URLS = [...SHELL.pages, SHELL.plan, ...SHELL.illustrations];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      await cache.addAll([...SHELL.files, SHELL.manifest]);
      await refreshOfflinePage();
      await refreshPersonal(); // best effort: nothing to keep before log-in
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([STATIC_CACHE, PERSONAL_CACHE]);
      for (const name of await caches.keys()) {
        if (!keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.method === "POST" && url.pathname === SHELL.logout) {
    event.waitUntil(caches.delete(PERSONAL_CACHE));
    return;
  }
  if (request.method !== "GET") return;
  if (PERSONAL_URLS.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname, event));
    if (request.mode === "navigate" && url.pathname === SHELL.pages[0]) {
      // Today is where a session starts: bring the player, the plan and the offline page
      // up to date too, when what they are made from has changed.
      event.waitUntil(refreshWhenChanged());
    }
  } else if (SHELL.files.includes(url.pathname) || url.pathname === SHELL.manifest) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage()));
  }
});

async function refreshOfflinePage() {
  try {
    const response = await fetch(SHELL.offline, { credentials: "same-origin" });
    await keepOrDrop(await caches.open(STATIC_CACHE), SHELL.offline, response);
  } catch {
    // Offline: keep what is there.
  }
}

// Our "you are offline" page, at the address that was asked for (its "Try again" links
// there); the browser's own error page only if it was never kept.
async function offlinePage() {
  const kept = await caches.match(SHELL.offline, { ignoreVary: true });
  return kept || Response.error();
}

function isKeepable(response) {
  // Not a redirect (to log in, or to the weekly check) and not an error page.
  return response.ok && !response.redirected && response.type === "basic";
}

// A response not kept has its body cancelled: our pages are `no-store`, so the browser's
// HTTP cache does not read it either, and an unread body holds its connection; after a few
// (redirects to log in, say) every later fetch would wait for ever.
async function keepOrDrop(cache, path, response) {
  if (isKeepable(response)) await cache.put(path, response);
  else await response.body?.cancel();
}

// Fetches each personal copy again (but `skip`); true when every one was kept.
async function refreshPersonal(skip = null) {
  const cache = await caches.open(PERSONAL_CACHE);
  const kept = await Promise.all(
    PERSONAL_URLS.filter((path) => path !== skip).map(async (path) => {
      try {
        const response = await fetch(path, { credentials: "same-origin" });
        const keepable = isKeepable(response);
        await keepOrDrop(cache, path, response);
        return keepable;
      } catch {
        return false; // offline: keep what is there
      }
    }),
  );
  return kept.every(Boolean);
}

// The server's stamp of what the copies are made from (the release, the patient's plan,
// settings and language, the day, the log-in): a few bytes on each visit to Today, and the
// copies (about 70 KB) only when it changed. The stamp is kept once every copy was.
async function refreshWhenChanged() {
  let fresh;
  try {
    const response = await fetch(SHELL.stamp, { credentials: "same-origin" });
    if (!isKeepable(response)) {
      await response.body?.cancel(); // logged out: there is nothing of theirs to keep
      return;
    }
    fresh = (await response.json()).stamp;
  } catch {
    return; // offline: keep what is there
  }
  const cache = await caches.open(PERSONAL_CACHE);
  const kept = await cache.match(SHELL.stamp);
  if (kept && (await kept.json()).stamp === fresh) return;
  // Today itself was just fetched (and kept) by networkFirst.
  const complete = await refreshPersonal(SHELL.pages[0]);
  await refreshOfflinePage();
  if (complete) {
    const stamp = new Response(JSON.stringify({ stamp: fresh }), {
      headers: { "Content-Type": "application/json" },
    });
    await cache.put(SHELL.stamp, stamp);
  }
}

async function networkFirst(request, path, event) {
  const cache = await caches.open(PERSONAL_CACHE);
  const fromNetwork = fetch(request).then(async (response) => {
    if (isKeepable(response)) await cache.put(path, response.clone());
    else if (response.status === 401) await caches.delete(PERSONAL_CACHE); // logged out
    return response;
  });
  event.waitUntil(fromNetwork.catch(() => {}));
  const cached = await cache.match(path, { ignoreVary: true });
  if (!cached) {
    // Never kept (logged out, say) and no network: the offline page for a page, else the error.
    return request.mode === "navigate" ? fromNetwork.catch(() => offlinePage()) : fromNetwork;
  }
  const patience = new Promise((_, reject) =>
    setTimeout(() => reject(new Error("The network is too slow.")), NETWORK_PATIENCE_MS),
  );
  try {
    return await Promise.race([fromNetwork, patience]);
  } catch {
    // The kept copy wins: the late answer's body is cancelled, to free its connection.
    fromNetwork.then((response) => response.body?.cancel()).catch(() => {});
    return cached;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (isKeepable(response)) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

// Reminders (stenosis_coach/reminders/push.py): the server sends {title, body, url, tag},
// saying only that it is time to exercise; nothing of a push is cached. A push with no data
// or data that is not JSON still shows the plain reminder: a push must always show
// something, or the browser may stop sending them.
const REMINDER = {
  title: "Stenosis Coach",
  body: "Time to do your exercises",
  url: SHELL.pages[0], // Today
  tag: "exercise-reminder",
};
const REMINDER_ICON = SHELL.icon;

self.addEventListener("push", (event) => {
  const message = { ...REMINDER, ...pushData(event) };
  if (!message.tag) message.tag = REMINDER.tag;
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      tag: message.tag,
      data: { url: samePlace(message.url) },
      icon: REMINDER_ICON,
      requireInteraction: false,
      renotify: true, // a new reminder with the same tag rings again
    }),
  );
});

// The payload's own texts; an empty body is kept (the title may say it all).
function pushData(event) {
  try {
    const data = event.data ? event.data.json() : null;
    const texts = {};
    for (const key of ["title", "body", "url", "tag"]) {
      if (typeof data?.[key] === "string") texts[key] = data[key];
    }
    if (!texts.title) delete texts.title;
    return texts;
  } catch {
    return {}; // not JSON
  }
}

// A path of this site only: a push can never send the patient elsewhere.
function samePlace(url) {
  try {
    const target = new URL(url, location.origin);
    return target.origin === location.origin ? target.pathname + target.search : REMINDER.url;
  } catch {
    return REMINDER.url;
  }
}

// A tap on the reminder: an open window of the app comes forward at that page; else one opens.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = samePlace(event.notification.data?.url || REMINDER.url);
  event.waitUntil(openApp(path));
});

async function openApp(path) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === location.origin);
  if (open) {
    try {
      await open.focus();
      // A session going on in that window is never cut short by a reminder.
      const where = new URL(open.url).pathname;
      if (where === path || where === SHELL.pages[1]) return;
      if (await open.navigate(path)) return;
    } catch {
      // A window this worker does not control cannot be sent elsewhere: open a new one.
    }
  }
  await self.clients.openWindow(path);
}
