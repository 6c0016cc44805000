// The outbox: finished sessions (and pain answers) kept in IndexedDB until the server has them.
//
// An entry is saved here first and only then sent, so nothing is lost when the network is
// down, the page is closed or the server says no. It is deleted when the server answers 201
// (stored) or 200 (stored before: the server knows each entry by its UUID, so sending twice
// stores it once), with that UUID in its answer; and otherwise only when the patient, holding
// a downloaded copy, chooses to remove one the server refused (removeKeptEntry).
//
// What each answer does to an entry:
// - 200, 201: deleted.
// - 400, 409, 413, 415: the server would say the same every time. The entry is kept and
//   marked `refused` with the server's reason; it is not sent again until the patient taps
//   "Try again" (retryEntry), so it never hammers the server.
// - 401 (logged out): waits for the next log-in.
// - 403 (saved by another account on this device, or a stale page): waits for that account.
// - 429 (too many): waits at least as long as the server's Retry-After says.
// - 5xx, any other answer, no answer in time: waits, and is tried again a little later each
//   time (back-off).
// - No network: waits, and is tried again on the next page, and at once when the network
//   comes back (sendOutbox({ now })).
//
// Every page flushes the outbox (offline.js). Each flush reports what happened as an
// "outbox:flushed" event on window; saving reports "outbox:saved", and the patient's own
// changes (try again, remove) "outbox:changed".

const DATABASE = "stenosis-coach";
const STORE = "outbox";
const LOCK = "stenosis-coach-outbox";
const STORED = new Set([200, 201]);
const REFUSED = new Set([400, 409, 413, 415]);
const SEND_PATIENCE_MS = 30_000; // then the answer counts as lost, and the entry waits
const FIRST_BACK_OFF_MS = 15_000;
const LONGEST_BACK_OFF_MS = 30 * 60_000;
const DEFAULT_RETRY_AFTER_MS = 60_000;

let opened = null; // the page's one connection, opened on first use

function openDatabase() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "uuid" });
    request.onsuccess = () => {
      const database = request.result;
      // Let a newer version of the app (in another tab) upgrade the database.
      database.onversionchange = () => {
        database.close();
        opened = null;
      };
      database.onclose = () => {
        opened = null;
      };
      resolve(database);
    };
    request.onerror = () => reject(request.error);
  });
  opened.catch(() => {
    opened = null; // try again next time (storage blocked for now)
  });
  return opened;
}

// Run `work(store)` in one transaction; resolve with its result once the transaction is
// committed. A new entry is written "strict" (on disk before it counts as kept, so a closed
// page cannot lose it); any other change may be lost in a crash at no cost: the entry is
// then sent once more, and the server knows it by its UUID.
async function inStore(mode, work, { durability = "relaxed" } = {}) {
  const database = await openDatabase();
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(STORE, mode, { durability });
    let result;
    const request = work(transaction.objectStore(STORE), (value) => {
      result = value;
    });
    transaction.oncomplete = () => resolve(result ?? request?.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

// Change the entries named in `changes` (uuid -> fields) in one transaction, each only if it
// is still there: an entry deleted meanwhile is never brought back.
function updateEntries(changes) {
  if (changes.size === 0) return Promise.resolve();
  return inStore("readwrite", (store) => {
    for (const [uuid, fields] of changes) {
      const reading = store.get(uuid);
      reading.onsuccess = () => {
        if (reading.result) store.put({ ...reading.result, ...fields });
      };
    }
  });
}

// entry: { uuid, url, body (the JSON upload), headers, savedAt }. The outbox adds, after a
// try: refused ({ status, error } or null), waiting (why it still waits: "offline",
// "server", "busy", "login" or "other-account"), tries, retryAt and notBefore (times in ms).
export async function saveToOutbox(entry) {
  await inStore("readwrite", (store) => store.put(entry), { durability: "strict" });
  window.dispatchEvent(new CustomEvent("outbox:saved", { detail: { uuid: entry.uuid } }));
}

export function outboxEntries() {
  return inStore("readonly", (store) => store.getAll());
}

// An entry is saved with its account's tag in its headers (the player's owner header). With
// no `owner` given, every entry belongs.
export function belongsTo(entry, owner) {
  const tags = Object.values(entry.headers ?? {});
  return !owner || tags.length === 0 || tags.includes(owner);
}

// The CSRF token of the page doing the sending: the cookie cannot be read from a script, and
// a token kept with the entry could be stale by the time it is sent.
export function pageCsrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const field = document.querySelector('input[name="csrfmiddlewaretoken"]');
  return meta?.content || field?.value || "";
}

async function send(entry, csrfToken) {
  const patience = new AbortController();
  const timer = setTimeout(() => patience.abort(), SEND_PATIENCE_MS);
  try {
    const response = await fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        ...entry.headers,
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken,
      },
      body: JSON.stringify(entry.body),
      signal: patience.signal,
    });
    const body = await response.json().catch(() => null);
    return { uuid: entry.uuid, status: response.status, body, response };
  } finally {
    clearTimeout(timer);
  }
}

// Stored only when the server says so for this very entry: a 200 from something else on the
// way (a Wi-Fi log-in page, a proxy) is not the server storing it.
function isStored(entry, answer) {
  return (
    STORED.has(answer.status) &&
    !answer.response.redirected &&
    String(answer.body?.uuid ?? "").toLowerCase() === String(entry.uuid).toLowerCase()
  );
}

function waitingReason(status) {
  if (status === 401) return "login";
  if (status === 403) return "other-account";
  if (status === 429) return "busy";
  return "server";
}

function backOff(tries) {
  const longest = Math.min(LONGEST_BACK_OFF_MS, FIRST_BACK_OFF_MS * 2 ** Math.max(0, tries - 1));
  return Math.round(longest * (0.8 + 0.4 * Math.random())); // spread out, so not all at once
}

function retryAfterMs(response) {
  const value = response.headers.get("Retry-After");
  if (value === null) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : DEFAULT_RETRY_AFTER_MS;
}

// Entries that answered 403 in this page: they belong to another account, so this page
// does not send them again.
const othersHere = new Set();

// Backing off spares a server in trouble; a connection that failed cost it nothing, so an
// entry that met no network is sent whenever a page asks (it backs off only from the timer
// of a page left open).
function isDue(entry, now, { early = false, timer = false } = {}) {
  if (entry.refused || othersHere.has(entry.uuid)) return false;
  if ((entry.notBefore ?? 0) > now) return false;
  if (early || (entry.retryAt ?? 0) <= now) return true;
  return entry.waiting === "offline" && !timer;
}

async function flush({ owner = null, now: early = false, timer = false } = {}) {
  const outcome = { sent: [], refused: [], waiting: 0, unreachable: false, loggedOut: false,
    nextTry: null };
  const entries = (await outboxEntries()).filter((entry) => belongsTo(entry, owner));
  const due = entries.filter((entry) => isDue(entry, Date.now(), { early, timer }));
  const csrfToken = pageCsrfToken();
  const changes = new Map();
  for (const [position, entry] of due.entries()) {
    const rest = due.slice(position + 1);
    let answer;
    try {
      answer = await send(entry, csrfToken);
    } catch (error) {
      // No network, or no answer in time (the server is slow, or stored it and the answer
      // was lost): the rest would fare the same. All wait; this one backs off.
      const waiting = error?.name === "AbortError" ? "server" : "offline";
      outcome.unreachable = waiting === "offline";
      const tries = (entry.tries ?? 0) + 1;
      changes.set(entry.uuid, { waiting, tries, retryAt: Date.now() + backOff(tries) });
      for (const other of rest) changes.set(other.uuid, { waiting });
      break;
    }
    if (isStored(entry, answer)) {
      await inStore("readwrite", (store) => store.delete(entry.uuid));
      outcome.sent.push({ uuid: answer.uuid, status: answer.status, body: answer.body });
      continue;
    }
    if (REFUSED.has(answer.status)) {
      const refused = { status: answer.status, error: answer.body?.error ?? "" };
      changes.set(entry.uuid, { refused, waiting: null, tries: 0, retryAt: 0 });
      outcome.refused.push({ uuid: entry.uuid, ...refused });
      continue;
    }
    const waiting = waitingReason(answer.status);
    if (waiting === "other-account") {
      othersHere.add(entry.uuid);
      changes.set(entry.uuid, { waiting });
      continue;
    }
    if (waiting === "login") {
      // Logged out: everything else would get the same answer.
      outcome.loggedOut = true;
      for (const other of [entry, ...rest]) changes.set(other.uuid, { waiting });
      break;
    }
    if (waiting === "busy") {
      // The server asks this device to wait: nothing more is sent until then.
      const notBefore = Date.now() + retryAfterMs(answer.response);
      for (const other of [entry, ...rest]) changes.set(other.uuid, { waiting, notBefore });
      break;
    }
    const tries = (entry.tries ?? 0) + 1;
    changes.set(entry.uuid, { waiting, tries, retryAt: Date.now() + backOff(tries) });
  }
  await updateEntries(changes);
  const left = (await outboxEntries()).filter(
    (entry) => belongsTo(entry, owner) && !entry.refused && !othersHere.has(entry.uuid),
  );
  outcome.waiting = left.length;
  const times = left.map((entry) => Math.max(entry.retryAt ?? 0, entry.notBefore ?? 0));
  outcome.nextTry = times.length > 0 ? Math.min(...times) : null;
  return outcome;
}

let queue = Promise.resolve();

// Run `work` alone: one at a time in this tab, and across tabs where the browser has Web
// Locks, so one entry is never in flight twice from here.
function alone(work) {
  const next = navigator.locks ? () => navigator.locks.request(LOCK, work) : work;
  const result = queue.then(next, next);
  queue = result.catch(() => {});
  return result;
}

// Send every entry that is due. owner: send only that account's entries (the page's own).
// now: send those backing off too (the network has just come back, or the patient asked).
// timer: a page left open trying again by itself; every back-off holds.
export async function sendOutbox(options = {}) {
  const outcome = await alone(() => flush(options));
  window.dispatchEvent(new CustomEvent("outbox:flushed", { detail: outcome }));
  return outcome;
}

function changed(uuid, { removed = false } = {}) {
  window.dispatchEvent(new CustomEvent("outbox:changed", { detail: { uuid, removed } }));
}

// "Try again" on a refused entry: it waits like any other again, and is sent now. If the
// server refuses it again, it is marked refused again.
export async function retryEntry(uuid, options = {}) {
  await alone(() => updateEntries(new Map([[uuid, { refused: null, tries: 0, retryAt: 0 }]])));
  changed(uuid);
  return sendOutbox({ ...options, now: true });
}

// The patient's own choice, once they have a copy: remove an entry the server refused.
// Resolves true when removed; an entry that is not (or no longer) refused stays.
export async function removeKeptEntry(uuid) {
  const removed = await alone(() =>
    inStore("readwrite", (store, resolveWith) => {
      const reading = store.get(uuid);
      reading.onsuccess = () => {
        const refused = Boolean(reading.result?.refused);
        if (refused) store.delete(uuid);
        resolveWith(refused);
      };
    }),
  );
  if (removed) changed(uuid, { removed });
  return removed;
}
