// Reminders on this phone (reminders/push_section.html): turn push notifications on or off
// for this device, and send a test. The texts are the section's data-*-text attributes
// (translated on the server); the server's answers carry their own sentence in "error".
//
// Permission is asked only when the patient taps "Turn on": a browser blocks sites that ask
// on their own, and the patient should know why the question comes.

const section = document.querySelector("[data-push]");
const PATIENCE_MS = 10000; // for the server, and for the service worker to be ready

// text("not-allowed") is the section's data-not-allowed-text.
// An error whose message is one of our sentences; any other is said as text("failed"),
// never in the browser's own words.
class Said extends Error {}

function text(name) {
  const key = name.replace(/-(\w)/g, (_, letter) => letter.toUpperCase()) + "Text";
  return section.dataset[key] ?? "";
}

function say(message) {
  section.querySelector("[data-push-status]").textContent = message;
}

function show(selector, visible) {
  for (const element of section.querySelectorAll(selector)) element.hidden = !visible;
}

function showState(on) {
  show("[data-push-controls]", true);
  show("[data-push-on]", !on);
  show("[data-push-off]", on);
  show("[data-push-test]", on);
}

function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

// The key from the server is base64url; the browser wants its bytes.
function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

async function call(url, { method = "POST", body } = {}) {
  const patience = new AbortController();
  const timer = setTimeout(() => patience.abort(), PATIENCE_MS);
  try {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: patience.signal,
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Said(answer.error || text("failed"));
    return answer;
  } finally {
    clearTimeout(timer);
  }
}

async function worker() {
  const ready = navigator.serviceWorker.ready;
  const late = new Promise((_, reject) =>
    setTimeout(() => reject(new Said(text("no-worker"))), PATIENCE_MS),
  );
  return Promise.race([ready, late]);
}

async function turnOn() {
  say(text("asking"));
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    say(text(permission === "denied" ? "denied" : "not-allowed"));
    return;
  }
  const registration = await worker();
  const { public_key: key } = await call(section.dataset.keyUrl, { method: "GET" });
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe(); // made with another key: it would never get our pushes
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(key),
  });
  await call(section.dataset.subscribeUrl, { body: subscription.toJSON() });
  showState(true);
  say(text("on"));
}

function sameKey(subscription, key) {
  const used = subscription.options?.applicationServerKey;
  if (!used) return true; // the browser does not say: keep it
  const expected = keyBytes(key);
  const bytes = new Uint8Array(used);
  return bytes.length === expected.length && bytes.every((byte, i) => byte === expected[i]);
}

async function turnOff() {
  const registration = await worker();
  const subscription = await registration.pushManager.getSubscription();
  if (subscription) {
    await call(section.dataset.unsubscribeUrl, { body: { endpoint: subscription.endpoint } });
    await subscription.unsubscribe();
  }
  showState(false);
  say(text("off"));
}

async function sendTest() {
  await call(section.dataset.testUrl);
  say(text("sent"));
}

// One tap at a time; whatever goes wrong is said in plain words, never only in the console.
function onTap(selector, action) {
  const button = section.querySelector(selector);
  button?.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      if (!(error instanceof Said)) console.warn("Reminders:", error?.name);
      say(error instanceof Said ? error.message : text("failed"));
    } finally {
      button.disabled = false;
    }
  });
}

async function start() {
  if (!supported()) {
    show("[data-push-unsupported]", true);
    return;
  }
  onTap("[data-push-on]", turnOn);
  onTap("[data-push-off]", turnOff);
  onTap("[data-push-test]", sendTest);
  const registration = await navigator.serviceWorker.getRegistration();
  const subscribed = Boolean(await registration?.pushManager.getSubscription());
  const on = subscribed && Notification.permission === "granted" && "pushOnServer" in section.dataset;
  showState(on);
  if (Notification.permission === "denied") say(text("denied"));
}

if (section) {
  start().catch(() => showState(false));
}
