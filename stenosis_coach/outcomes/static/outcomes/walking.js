// The timed walk (outcomes/walking_test.html).
//
// The time walked is read from the session clock (performance.now() against the moment
// Start was tapped), never counted from interval ticks: a phone in a pocket slows or pauses
// timers, and counted ticks would drift. The interval only repaints the clock and checks
// whether a 5-minute mark has passed.

import { SessionClock } from "../web/clock.js";
import { Voice, savedSoundChoice } from "../web/speech.js";
import { keepScreenAwake } from "../web/wake.js";

const MINUTE_MS = 60_000;
const REPAINT_MS = 250;
// The 30-minute cue is spoken before the page moves on; stop waiting after this long.
const LONGEST_WAIT_FOR_VOICE_MS = 6_000;

const root = document.getElementById("walk");
const form = document.getElementById("walk-form");
const clockFace = document.getElementById("walk-clock");
const status = document.getElementById("walk-status");
const startButton = document.getElementById("walk-start");
const stopButton = document.getElementById("walk-stop");
const words = JSON.parse(document.getElementById("walk-words").textContent);

const capMs = Number(root.dataset.capMinutes) * MINUTE_MS;
const cueMs = Number(root.dataset.cueMinutes) * MINUTE_MS;
const voice = new Voice(document.documentElement.lang || "en");
voice.on = savedSoundChoice(root.dataset.voice === "on");

const clock = new SessionClock();
let walking = false;
let lastCueMs = 0;
let repaint = null;
let letScreenSleep = () => {};

function clockText(ms) {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function walkedMs() {
  return Math.min(clock.elapsed, capMs);
}

// Show `text` in the status line (a polite live region, so screen readers hear it too),
// highlight it for people who cannot hear, and speak it.
function announce(text) {
  status.textContent = text;
  status.classList.remove("cue");
  void status.offsetWidth; // restart the highlight when one cue follows another
  status.classList.add("cue");
  voice.say(text);
}

function voiceDone() {
  const waitedSince = performance.now();
  return new Promise((resolve) => {
    const check = () => {
      const waitedTooLong = performance.now() - waitedSince > LONGEST_WAIT_FOR_VOICE_MS;
      const talking = voice.on && voice.available;
      const speaking = talking && (speechSynthesis.speaking || speechSynthesis.pending);
      if (!speaking || waitedTooLong) resolve();
      else setTimeout(check, REPAINT_MS);
    };
    setTimeout(check, REPAINT_MS);
  });
}

function tick() {
  const ms = walkedMs();
  clockFace.textContent = clockText(ms);
  if (ms >= capMs) {
    finish({ stoppedBySymptoms: false });
    return;
  }
  // After a long pause in a pocket, only the latest mark passed is said.
  const mark = Math.floor(ms / cueMs) * cueMs;
  if (mark > lastCueMs) {
    lastCueMs = mark;
    announce(words.cue.replace("{minutes}", String(mark / MINUTE_MS)));
  }
}

function catchUp() {
  if (walking && document.visibilityState === "visible") tick();
}

function warnBeforeLeaving(event) {
  event.preventDefault();
  event.returnValue = words.leave;
}

function start() {
  clock.start();
  walking = true;
  lastCueMs = 0;
  startButton.hidden = true;
  stopButton.hidden = false;
  stopButton.focus(); // keyboard users can stop at once with Enter or Space
  announce(words.start);
  repaint = setInterval(tick, REPAINT_MS);
  letScreenSleep = keepScreenAwake();
  document.addEventListener("visibilitychange", catchUp);
  window.addEventListener("beforeunload", warnBeforeLeaving);
}

async function finish({ stoppedBySymptoms }) {
  if (!walking) return;
  const ms = walkedMs();
  walking = false;
  clock.stop();
  clearInterval(repaint);
  clockFace.textContent = clockText(ms);
  stopButton.disabled = true;
  // Whole seconds, rounded down as on the clock: what is saved is what the patient saw.
  form.elements.seconds.value = String(Math.floor(ms / 1000));
  form.elements.stopped_by_symptoms.value = stoppedBySymptoms ? "yes" : "no";
  window.removeEventListener("beforeunload", warnBeforeLeaving);
  document.removeEventListener("visibilitychange", catchUp);
  letScreenSleep();
  announce(stoppedBySymptoms ? words.stopped : words.cap);
  // Someone who reached 30 minutes is still walking, not looking: let them hear it first.
  if (!stoppedBySymptoms) await voiceDone();
  form.submit();
}

startButton.addEventListener("click", start);
stopButton.addEventListener("click", () => finish({ stoppedBySymptoms: true }));
