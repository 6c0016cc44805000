// The outbox: finished sessions kept in IndexedDB until the server has them.
//
// A session is saved here first and only then sent, so nothing is lost when the network is
// down or the page is closed. An entry is deleted only once the server has answered 201
// (stored) or 200 (stored before: the server knows each session by its UUID, so sending
// twice stores it once). A 400, 409 or 413 can never succeed, so that entry is logged and
// dropped; anything else (no network, 401, 403, 5xx) keeps it for the next try.
//
// Every page flushes the outbox (offline.js), and each flush reports what happened as an
// "outbox:flushed" event on window; saving reports "outbox:saved".

const DATABASE = "stenosis-coach";
const STORE = "outbox";
const LOCK = "stenosis-coach-outbox";
const STORED = new Set([200, 201]);
const HOPELESS = new Set([400, 409, 413]);

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "uuid" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Run `work(store)` in one transaction; resolve with its result once the transaction is
// committed ("strict": written to disk, so a closed page cannot lose it).
async function inStore(mode, work) {
  const database = await openDatabase();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, mode, { durability: "strict" });
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    database.close();
  }
}

// entry: { uuid, url, body (the JSON upload), headers, savedAt }
export async function saveToOutbox(entry) {
  await inStore("readwrite", (store) => store.put(entry));
  window.dispatchEvent(new CustomEvent("outbox:saved", { detail: { uuid: entry.uuid } }));
}

export function outboxEntries() {
  return inStore("readonly", (store) => store.getAll());
}

function removeFromOutbox(uuid) {
  return inStore("readwrite", (store) => store.delete(uuid));
}

// The CSRF token of the page doing the sending: the cookie cannot be read from a script, and
// a token kept with the entry could be stale by the time it is sent.
export function pageCsrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const field = document.querySelector('input[name="csrfmiddlewaretoken"]');
  return meta?.content || field?.value || "";
}

async function send(entry, csrfToken) {
  const response = await fetch(entry.url, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      ...entry.headers,
      "Content-Type": "application/json",
      "X-CSRFToken": csrfToken,
    },
    body: JSON.stringify(entry.body),
  });
  const body = await response.json().catch(() => null);
  return { uuid: entry.uuid, status: response.status, body };
}

async function flush() {
  const outcome = { sent: [], dropped: [], pending: 0, unreachable: false, loggedOut: false };
  const entries = await outboxEntries();
  const csrfToken = pageCsrfToken();
  for (const [position, entry] of entries.entries()) {
    let answer;
    try {
      answer = await send(entry, csrfToken);
    } catch {
      // No network: the rest would fail the same way. They wait for the next try.
      outcome.unreachable = true;
      outcome.pending = entries.length - position;
      break;
    }
    if (STORED.has(answer.status)) {
      await removeFromOutbox(entry.uuid);
      outcome.sent.push(answer);
    } else if (HOPELESS.has(answer.status)) {
      console.error("The server refused a saved session; it is dropped.", answer, entry);
      await removeFromOutbox(entry.uuid);
      outcome.dropped.push(answer);
    } else {
      outcome.pending += 1;
      if (answer.status === 401) outcome.loggedOut = true;
    }
  }
  return outcome;
}

let queue = Promise.resolve();

// Send everything in the outbox, one flush at a time (in this tab, and across tabs where the
// browser has Web Locks), so one entry is never in flight twice from here.
export function sendOutbox() {
  const run = () => flush();
  const next = navigator.locks ? () => navigator.locks.request(LOCK, run) : run;
  const result = queue.then(next, next);
  queue = result.catch(() => {});
  return result.then((outcome) => {
    window.dispatchEvent(new CustomEvent("outbox:flushed", { detail: outcome }));
    return outcome;
  });
}
