// On every page: install the service worker (the app works offline once Today has loaded),
// send any session still waiting in the outbox, and show where it stands on the pages that
// have an outbox status (#sync-status):
//
// - Today (data-scope="all"): everything this account has waiting on the device, and each
//   session the server refused, with its reason, "Try again" and "Save a copy" (kept.js);
// - the session summary: this session only (data-session, set by the player once kept).
//
// One message at a time: sent; kept on the device and sent later (and why: offline, logged
// out, the server busy); or refused, with the reason.

import { showKept } from "./kept.js";
import { belongsTo, outboxEntries, retryEntry, sendOutbox } from "./outbox.js";

// The words come from the page, so they are translated on the server: the "sync-texts"
// block on Today, the player's texts on the session page.
let pageWords = null;

function words() {
  if (pageWords) return pageWords;
  const block = document.getElementById("sync-texts") ?? document.getElementById("player-texts");
  pageWords = block ? JSON.parse(block.textContent) : {};
  return pageWords;
}

// This account's tag (the player's root, or Today's status): only its entries are sent and
// shown. Pages without it send everything (another account's answers 403 and waits).
function owner() {
  return document.querySelector("[data-owner]")?.dataset.owner || null;
}

const sentHere = new Set(); // uuids the server stored while this page was open
const removedHere = new Set(); // refused ones the patient removed, holding a copy
let nextTry = null;

function setStatus(key) {
  const status = document.getElementById("sync-status");
  const text = key ? words()[key] : "";
  if (!status) return;
  if (!text) {
    status.hidden = true;
    status.textContent = "";
    delete status.dataset.state;
    return;
  }
  status.textContent = text;
  status.dataset.state = key;
  status.hidden = false;
}

// Why those still waiting wait, most useful first.
function waitingKey(waiting) {
  const reasons = new Set(waiting.map((entry) => entry.waiting));
  if (reasons.has("login")) return "log_in_to_send";
  if (reasons.has("offline") || !navigator.onLine) return "saved_offline";
  if (reasons.has("server") || reasons.has("busy") || reasons.has("other-account")) {
    return "waiting_later";
  }
  return "sending"; // not tried yet
}

function statusKey({ waiting, refused, session }) {
  if (waiting.length > 0) return waitingKey(waiting);
  if (refused.length > 0) return session ? "refused_this" : "refused_some";
  if (session) {
    if (sentHere.has(session)) return "sent";
    if (removedHere.has(session)) return "removed";
    return undefined; // never kept here: the player says so itself
  }
  return sentHere.size > 0 ? "sent" : null;
}

async function showOutbox() {
  const status = document.getElementById("sync-status");
  const session = status?.dataset.session;
  if (!status || (status.dataset.scope !== "all" && !session)) return;
  const mine = (await outboxEntries()).filter((entry) => belongsTo(entry, owner()));
  const shown = session ? mine.filter((entry) => entry.uuid === session) : mine;
  const refused = shown.filter((entry) => entry.refused);
  const waiting = shown.filter((entry) => !entry.refused);
  showKept(document.getElementById("kept-sessions"), refused, words(), {
    onRetry: (uuid) => retryEntry(uuid, { owner: owner() }),
  });
  const key = statusKey({ waiting, refused, session });
  if (key !== undefined) setStatus(key);
}

function show() {
  showOutbox().catch((error) => console.warn("Could not read the outbox:", error?.name));
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  // The worker lives next to the manifest, at the root of the site, so it can serve every
  // page; taking its address from the manifest link keeps it right under a URL prefix.
  const manifest = document.querySelector('link[rel="manifest"]');
  const workerUrl = new URL("sw.js", manifest ? manifest.href : location.origin + "/");
  navigator.serviceWorker.register(workerUrl, { scope: new URL(".", workerUrl).pathname })
    .catch((error) => console.warn("Offline use is not available:", error?.name));
}

// now: also those backing off after a failure (the network has just come back). timer:
// the page trying again by itself.
async function sendWaitingSessions({ now = false, timer = false } = {}) {
  try {
    const waiting = (await outboxEntries()).some((entry) => !entry.refused);
    if (waiting) await sendOutbox({ owner: owner(), now, timer });
    else show();
  } catch (error) {
    console.warn("Could not read the outbox:", error?.name); // IndexedDB blocked: nothing to send
  }
}

// While the page is open, try again when the first one waiting is due.
function tryAgainAt(time) {
  clearTimeout(nextTry);
  if (time === null) return;
  nextTry = setTimeout(() => {
    if (document.visibilityState === "visible") sendWaitingSessions({ timer: true });
  }, Math.max(1000, time - Date.now()));
}

window.addEventListener("outbox:saved", show);
window.addEventListener("outbox:changed", ({ detail }) => {
  if (detail.removed) removedHere.add(detail.uuid);
  show();
});
window.addEventListener("outbox:flushed", ({ detail }) => {
  for (const answer of detail.sent) {
    sentHere.add(answer.uuid);
    removedHere.delete(answer.uuid);
  }
  tryAgainAt(detail.nextTry);
  show();
});

window.addEventListener("online", () => sendWaitingSessions({ now: true }));
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") sendWaitingSessions();
});

registerServiceWorker();
sendWaitingSessions();
