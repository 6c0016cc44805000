// What the server refused, kept on the device: shown to the patient with the reason, and two
// ways on: "Try again" (send it once more) and "Save a copy" (download it as a file). Only once
// a copy is saved may the patient remove it from the device, and only by their own choice.
//
// The words come from the page (see offline.js); {braces} are filled in here.

import { removeKeptEntry, retryEntry } from "./outbox.js";

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

// Copies saved in this page: their "Remove it from this device" is on offer.
const copied = new Set();

function when(body) {
  const time = new Date(body.started_at ?? body.taken_at ?? Date.now());
  return Number.isNaN(time.getTime()) ? new Date() : time;
}

const isSession = (body) => Array.isArray(body.results);

function localDay(time) {
  const two = (number) => String(number).padStart(2, "0");
  return `${time.getFullYear()}-${two(time.getMonth() + 1)}-${two(time.getDate())}`;
}

// e.g. stenosis-coach-session-2025-06-03.json: the day it was done, on this device.
export function copyFileName(body) {
  const kind = isSession(body) ? "session" : "pain-scores";
  return `stenosis-coach-${kind}-${localDay(when(body))}.json`;
}

// The upload itself, as sent: a therapist can read it, and it can be sent again later.
export function saveCopy(body) {
  const file = new Blob([`${JSON.stringify(body, null, 2)}\n`], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(file);
  link.download = copyFileName(body);
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

function part(tag, className, text = "") {
  const made = document.createElement(tag);
  if (className) made.className = className;
  made.textContent = text;
  return made;
}

function button(className, text) {
  const made = part("button", `button ${className}`, text);
  made.type = "button";
  return made;
}

function nameOf(entry, words) {
  const day = when(entry.body).toLocaleDateString(document.documentElement.lang || undefined, {
    weekday: "long",
    day: "numeric",
    month: "long",
  });
  return fill(isSession(entry.body) ? words.kept_session : words.kept_pain, { date: day });
}

// One refused entry: its name, the reason, what to do, and the buttons.
function keptBlock(entry, words, { onRetry }) {
  const block = part("div", "kept-entry");
  block.dataset.uuid = entry.uuid;
  const name = part("p", "kept-name", nameOf(entry, words));
  name.id = `kept-${entry.uuid}`;
  block.setAttribute("role", "group");
  block.setAttribute("aria-labelledby", name.id);
  const why = part("p", "kept-why");
  const advice = part("p", "kept-advice", words.kept_advice);
  const actions = part("div", "kept-actions");
  const retry = button("kept-retry", words.try_again);
  const copy = button("kept-copy", words.save_copy);
  actions.append(retry, copy);
  const done = part("p", "kept-copied", words.copy_saved);
  const remove = button("kept-remove", words.remove_kept);
  done.hidden = remove.hidden = !copied.has(entry.uuid);
  block.append(name, why, advice, actions, done, remove);

  retry.addEventListener("click", async () => {
    retry.disabled = true;
    try {
      await onRetry(entry.uuid);
    } finally {
      retry.disabled = false;
    }
  });
  copy.addEventListener("click", () => {
    saveCopy(block.entry.body);
    copied.add(entry.uuid);
    done.hidden = remove.hidden = false;
    remove.focus();
  });
  remove.addEventListener("click", () => removeKeptEntry(entry.uuid));
  return block;
}

function updateBlock(block, entry, words) {
  block.entry = entry;
  const reason = entry.refused?.error || words.kept_no_reason;
  block.querySelector(".kept-why").textContent = fill(words.kept_why, { reason });
}

// Show these refused entries in `box`, each once: blocks already on show stay (so a button
// keeps its focus), those no longer refused go.
export function showKept(box, entries, words, { onRetry = (uuid) => retryEntry(uuid) } = {}) {
  if (!box) return;
  const wanted = new Map(entries.map((entry) => [entry.uuid, entry]));
  for (const block of [...box.querySelectorAll(".kept-entry")]) {
    if (!wanted.has(block.dataset.uuid)) block.remove();
  }
  for (const entry of entries) {
    let block = box.querySelector(`.kept-entry[data-uuid="${CSS.escape(entry.uuid)}"]`);
    if (!block) {
      block = keptBlock(entry, words, { onRetry });
      box.append(block);
    }
    updateBlock(block, entry, words);
  }
  box.hidden = entries.length === 0;
}

// The device could not keep it at all (no storage): a copy is the one way left to keep it.
export function offerCopyOnly(box, body, words) {
  if (!box) return;
  const block = part("div", "kept-entry");
  const advice = part("p", "kept-advice", words.copy_advice);
  const copy = button("kept-copy", words.save_copy);
  const done = part("p", "kept-copied", words.copy_saved);
  done.hidden = true;
  copy.addEventListener("click", () => {
    saveCopy(body);
    done.hidden = false;
  });
  block.append(advice, copy, done);
  box.replaceChildren(block);
  box.hidden = false;
}
