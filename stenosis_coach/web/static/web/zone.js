// The patient's time zone, from the browser: the server counts the patient's days in it
// (step-ups wait for a new day, not a new session).
// - A form input or select marked data-browser-zone gets the browser's zone when it has no
//   value yet (the sign-up form's hidden input; the settings list when no zone is set).
// - A patient whose zone the server does not know yet gets this script with
//   data-zone-url (web/base.html): the zone is sent there once. Best effort: if it fails
//   (offline), the next page sends it again.

const zone = browserZone();

function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

function fillInputs() {
  for (const input of document.querySelectorAll("[data-browser-zone]")) {
    if (input.value) continue;
    const offered = input.tagName !== "SELECT" || [...input.options].some((o) => o.value === zone);
    if (offered) input.value = zone;
  }
}

async function sendOnce() {
  const script = document.querySelector("script[data-zone-url]");
  const token = document.querySelector('meta[name="csrf-token"]');
  if (!script || !token) return;
  try {
    await fetch(script.dataset.zoneUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token.content },
      body: JSON.stringify({ time_zone: zone }),
      credentials: "same-origin",
    });
  } catch {
    // Offline, or the server is away: the next page tries again.
  }
}

if (zone) {
  fillInputs();
  sendOnce();
}
