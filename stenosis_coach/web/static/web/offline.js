// On every page: install the service worker (the app works offline once Today has loaded),
// send any session still waiting in the outbox, and say so in #sync-status where a page
// has one.

import { outboxEntries, sendOutbox } from "./outbox.js";

// The words come from the page (so they can be translated on the server): data-saved-text,
// data-log-in-text, data-sending-text, data-sent-text and data-failed-text on #sync-status,
// or the player's texts on the session page.
const STATUS_ATTRIBUTES = {
  saved_offline: "savedText",
  log_in_to_send: "logInText",
  sending: "sendingText",
  sent: "sentText",
  not_saved: "failedText",
};

function words(key) {
  const status = document.getElementById("sync-status");
  const fromPage = status?.dataset[STATUS_ATTRIBUTES[key]];
  if (fromPage) return fromPage;
  const playerTexts = document.getElementById("player-texts");
  if (playerTexts) {
    const texts = JSON.parse(playerTexts.textContent);
    if (texts[key]) return texts[key];
  }
  return "";
}

function showStatus(key) {
  const status = document.getElementById("sync-status");
  const text = words(key);
  if (!status || !text) return;
  status.textContent = text;
  status.dataset.state = key;
  status.hidden = false;
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  // The worker lives next to the manifest, at the root of the site, so it can serve every
  // page; taking its address from the manifest link keeps it right under a URL prefix.
  const manifest = document.querySelector('link[rel="manifest"]');
  const workerUrl = new URL("sw.js", manifest ? manifest.href : location.origin + "/");
  navigator.serviceWorker.register(workerUrl, { scope: new URL(".", workerUrl).pathname })
    .catch((error) => console.warn("Offline use is not available:", error));
}

async function sendWaitingSessions() {
  try {
    if ((await outboxEntries()).length > 0) await sendOutbox();
  } catch (error) {
    console.warn("Could not read the outbox:", error); // IndexedDB blocked: nothing to send
  }
}

window.addEventListener("outbox:saved", () => {
  showStatus(navigator.onLine ? "sending" : "saved_offline");
});

window.addEventListener("outbox:flushed", ({ detail }) => {
  if (detail.pending > 0) showStatus(detail.loggedOut ? "log_in_to_send" : "saved_offline");
  else if (detail.dropped.length > 0) showStatus("not_saved");
  else if (detail.sent.length > 0) showStatus("sent");
});

window.addEventListener("online", sendWaitingSessions);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") sendWaitingSessions();
});

registerServiceWorker();
sendWaitingSessions();
