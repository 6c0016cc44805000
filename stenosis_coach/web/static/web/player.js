// The guided session player: plays the timeline from /api/plan/ and collects the answers.
//
// Every word comes from the page (the "player-texts" block) or from the plan; every duration,
// counter and cue comes from the plan. This script only keeps time and shows what the plan
// says, in order: pain before, the exercises (each closed by a check-in), pain after, then
// the session is saved on the device and sent.

import { Beeper } from "./beeps.js";
import { Pictures } from "./pictures.js";
import { SessionClock } from "./clock.js";
import { saveToOutbox, sendOutbox } from "./outbox.js";
import { Voice, saveSoundChoice, savedSoundChoice } from "./speech.js";
import {
  announceMarks,
  beepMarks,
  counterText,
  endsSet,
  exercisesOf,
  fill,
  nextText,
  secondsLeft,
  stepEnd,
} from "./timeline.js";
import { keepScreenAwake } from "./wake.js";

const texts = JSON.parse(document.getElementById("player-texts").textContent);
const root = document.getElementById("player");
const settings = root.dataset; // planUrl, uploadUrl, todayUrl, owner, ownerHeader
const element = (id) => document.getElementById(id);

const voice = new Voice(document.documentElement.lang || "en");
const beeper = new Beeper();
let currentRun = null;
let pictures = null; // the exercise pictures, once the plan has loaded

// ---------------------------------------------------------------------------------------
// Screens and questions

function showScreen(name) {
  for (const screen of root.querySelectorAll("[data-screen]")) {
    screen.hidden = screen.dataset.screen !== name;
  }
  root.dataset.state = name;
}

let announcement = null;

// Said once by screen readers (a polite live region). Emptied first, so that the same words
// twice in a row are still read.
function announce(message) {
  const region = element("announcer");
  region.textContent = "";
  clearTimeout(announcement);
  announcement = setTimeout(() => {
    region.textContent = message;
  }, 100);
}

// Show one question with big answer buttons; resolves with the value of the one tapped.
function ask({ context = "", title, help = "", answers, layout = "list", speak = "" }) {
  return new Promise((resolve) => {
    element("question-context").textContent = context;
    element("question-title").textContent = title;
    element("question-help").textContent = help;
    element("question-help").hidden = !help;
    const list = element("question-answers");
    list.className = `answers ${layout}`;
    list.replaceChildren(
      ...answers.map((answer) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = `button answer ${answer.style ?? ""}`.trim();
        button.textContent = answer.label;
        if (answer.note) {
          const note = document.createElement("span");
          note.className = "note";
          note.textContent = answer.note;
          button.append(note);
        }
        button.addEventListener("click", (event) => {
          // The second tap of a double tap (a shaky hand) lands on the next question's
          // button in the same place: only a fresh tap (or the keyboard, detail 0) answers.
          if (event.detail > 1) return;
          resolve(answer.value);
        });
        return button;
      }),
    );
    showScreen("question");
    element("question-title").focus();
    voice.say(speak);
  });
}

function askPain(context, question, { spoken = false } = {}) {
  const answers = Array.from({ length: 11 }, (_, score) => ({
    label: String(score),
    value: score,
    note: score === 0 ? texts.pain_none : score === 10 ? texts.pain_worst : "",
  }));
  return ask({
    context,
    title: question,
    help: texts.pain_help,
    answers,
    layout: "scale",
    speak: spoken ? question : "",
  });
}

function showProblem(message, { retry = false } = {}) {
  element("problem-message").textContent = message;
  element("try-again").hidden = !retry;
  showScreen("problem");
  element("problem-message").focus();
}

// ---------------------------------------------------------------------------------------
// Sound: voice and beeps, on by default, one tap to turn off, remembered on this device.

function setSound(on) {
  voice.on = on;
  beeper.on = on;
  if (!on) voice.silence();
  element("sound-toggle").textContent = on ? texts.sound_off : texts.sound_on;
}

element("sound-toggle").addEventListener("click", () => {
  const on = !voice.on;
  setSound(on);
  saveSoundChoice(on);
});

// Browsers only allow sound after a tap, and every step of the way starts with one.
root.addEventListener("click", () => beeper.unlock(), { capture: true });

// ---------------------------------------------------------------------------------------
// Playing the timeline

class SessionRun {
  constructor(plan) {
    this.steps = plan.steps;
    this.exercises = exercisesOf(plan);
    this.clock = new SessionClock();
    this.index = 0;
    this.timer = null;
    this.asking = false; // a question is on screen: the clock waits for the answer
    this.marks = new Set(); // beeps and read-outs already given in this step
    this.done = new Map(); // exercise id -> { sets, reps } finished so far
    this.results = [];
  }

  // Resolves with the results once the last exercise is over.
  play() {
    return new Promise((resolve) => {
      this.resolveResults = resolve;
      currentRun = this;
      this.clock.start(0);
      this.showSteps();
      this.showStep();
      this.tick();
    });
  }

  finish() {
    clearTimeout(this.timer);
    pictures?.stop();
    this.showPaused(false);
    currentRun = null;
    this.resolveResults(this.results);
  }

  get step() {
    return this.steps[this.index];
  }

  get exercise() {
    return this.exercises.find((exercise) => exercise.exercise_id === this.step.exercise_id);
  }

  get playing() {
    return this.clock.running && !this.asking;
  }

  progressOf(exerciseId) {
    if (!this.done.has(exerciseId)) this.done.set(exerciseId, { sets: 0, reps: 0 });
    return this.done.get(exerciseId);
  }

  // Move through every step whose time is over, then show the time left and wake up again
  // when the next whole second is due. Time always comes from the clock, so a late timer
  // catches up instead of drifting.
  tick() {
    clearTimeout(this.timer);
    if (!this.playing) return;
    const now = this.clock.elapsed;
    let moved = false;
    while (now >= stepEnd(this.step)) {
      this.stepFinished(this.index);
      const next = this.steps[this.index + 1];
      if (!next) return this.finish();
      this.index += 1;
      if (next.kind === "check-in") {
        // The clock waits at the check-in until it is answered.
        this.clock.stop();
        this.clock.seek(next.offset_ms);
        return this.checkIn();
      }
      moved = true;
    }
    if (moved) this.showStep();
    this.showTimeLeft(now);
    const left = secondsLeft(this.step, now);
    const nextSecond = stepEnd(this.step) - (left - 1) * 1000;
    this.timer = setTimeout(() => this.tick(), Math.max(1, nextSecond - now));
  }

  stepFinished(index) {
    const step = this.steps[index];
    const done = this.progressOf(step.exercise_id);
    if (step.kind === "hold") done.reps += 1;
    if (endsSet(this.steps, index)) done.sets += 1;
  }

  showSteps() {
    showScreen("step");
    element("exercise-name").focus();
  }

  // A new step: new words on screen, a clear visual change, the cue spoken.
  showStep() {
    const step = this.step;
    const exercise = this.exercise;
    this.marks.clear();
    element("exercise-count").textContent = fill(texts.exercise_of, {
      number: exercise.number,
      count: this.exercises.length,
    });
    element("exercise-name").textContent = exercise.name;
    const illustration = element("illustration");
    illustration.dataset.exercise = step.exercise_id;
    illustration.dataset.phase = step.phase ?? "";
    pictures?.follow(step, () => this.clock.elapsed);
    element("step-text").textContent = step.text;
    element("step-counter").textContent = counterText(step, texts);
    element("step-next").textContent = nextText(this.steps, this.index, texts);
    const panel = element("step-panel");
    panel.dataset.kind = step.kind;
    panel.classList.remove("is-new");
    void panel.offsetWidth; // restart the animation
    panel.classList.add("is-new");
    voice.say(step.cue);
    announce(fill(texts.step_with_seconds, { text: step.text, seconds: step.duration_ms / 1000 }));
  }

  showTimeLeft(now) {
    const step = this.step;
    const left = secondsLeft(step, now);
    element("countdown-number").textContent = String(left);
    element("countdown").classList.toggle("ending", beepMarks(step).includes(left));
    if (beepMarks(step).includes(left) && !this.marks.has(`beep ${left}`)) {
      this.marks.add(`beep ${left}`);
      beeper.beep({ pitch: left === 1 ? 1175 : 880 });
    }
    if (announceMarks(step).includes(left) && !this.marks.has(`say ${left}`)) {
      this.marks.add(`say ${left}`);
      announce(fill(texts.seconds_left, { seconds: left }));
    }
  }

  pause() {
    if (!this.playing) return;
    this.clock.stop();
    clearTimeout(this.timer);
    voice.silence();
    this.showPaused(true);
    announce(texts.paused_title);
  }

  resume() {
    if (this.clock.running || this.asking) return;
    this.showPaused(false);
    this.clock.resume();
    voice.say(this.step.text);
    this.tick();
  }

  showPaused(paused) {
    element("paused-note").hidden = !paused;
    element("pause-button").textContent = paused ? texts.resume : texts.pause;
    element("pause-button").dataset.paused = paused ? "yes" : "no";
    root.classList.toggle("is-paused", paused);
  }

  async checkIn() {
    const step = this.step;
    const worse = await this.question({
      context: this.exercise.name,
      title: step.text,
      speak: step.cue,
      answers: [
        { label: texts.yes, value: true },
        { label: texts.no, value: false },
      ],
      layout: "pair",
    });
    this.record({ completed: true, worse, stop_reason: null });
    this.nextExercise();
  }

  skip() {
    if (this.asking) return;
    this.record({ completed: false, worse: false, stop_reason: "skipped" });
    this.nextExercise();
  }

  // "It hurts — stop": the exercise ends at once, before anything else is asked.
  async hurt() {
    if (this.asking) return;
    this.clock.stop();
    clearTimeout(this.timer);
    voice.silence();
    const reason = await this.question({
      context: this.exercise.name,
      title: texts.hurt_title,
      speak: texts.hurt_title,
      answers: [
        { label: texts.hurt_leg, value: "leg-pain" },
        { label: texts.hurt_back, value: "back-pain" },
        { label: texts.hurt_other, value: "other" },
      ],
    });
    this.record({ completed: false, worse: true, stop_reason: reason });
    this.nextExercise();
  }

  stopForToday() {
    if (this.asking) return;
    this.record({ completed: false, worse: false, stop_reason: "skipped" });
    this.finish();
  }

  async question(options) {
    this.asking = true;
    this.showPaused(false);
    try {
      return await ask(options);
    } finally {
      this.asking = false;
    }
  }

  record(outcome) {
    const exercise = this.exercise;
    const done = this.progressOf(exercise.exercise_id);
    this.results.push({
      exercise_id: exercise.exercise_id,
      ...outcome,
      sets_done: done.sets,
      reps_done: done.reps,
    });
  }

  nextExercise() {
    const next = this.exercises[this.exercise.number]; // numbers start at 1
    if (!next) return this.finish();
    this.index = next.first;
    this.clock.seek(this.step.offset_ms);
    this.clock.resume();
    this.showPaused(false);
    if (root.dataset.state !== "step") this.showSteps();
    this.showStep();
    this.tick();
  }
}

element("pause-button").addEventListener("click", () => {
  if (!currentRun) return;
  if (currentRun.clock.running) currentRun.pause();
  else currentRun.resume();
});
element("skip-button").addEventListener("click", () => currentRun?.skip());
element("hurt-button").addEventListener("click", () => currentRun?.hurt());
element("end-button").addEventListener("click", () => currentRun?.stopForToday());

// A hidden page cannot show the steps: hold the session until the person is back.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") currentRun?.pause();
});

// ---------------------------------------------------------------------------------------
// The whole session, start to end

async function loadPlan() {
  showScreen("loading");
  let response;
  try {
    response = await fetch(settings.planUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  } catch {
    showProblem(texts.load_failed, { retry: true });
    return null;
  }
  const body = await response.json().catch(() => null);
  if (response.status === 403 && body?.redirect) {
    location.assign(body.redirect); // the programme is on hold, or getting started is not done
    return null;
  }
  if (!response.ok || !body) {
    showProblem(body?.error ?? texts.load_failed, { retry: !body });
    return null;
  }
  return body;
}

async function chooseGentle(data, legPainNow) {
  const usual = data.usual_leg_pain;
  const advised = usual !== null && legPainNow - usual >= data.gentle_rise;
  if (!advised || data.plans.gentle.exercises.length === 0) return false;
  return ask({
    context: texts.before_title,
    title: texts.gentle_title,
    help: data.gentle_advice,
    speak: data.gentle_advice,
    answers: [
      { label: texts.gentle_choice, value: true, style: "primary" },
      { label: texts.normal_choice, value: false },
    ],
  });
}

function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Pages served over plain http (not localhost) have no randomUUID: make a version 4 UUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function resultWords(result) {
  if (result.completed) return result.worse ? texts.result_worse : texts.result_done;
  return result.stop_reason === "skipped" ? texts.result_skipped : texts.result_hurt;
}

function listItem(strong, rest) {
  const item = document.createElement("li");
  const name = document.createElement("strong");
  name.textContent = strong;
  item.append(name, ` ${rest}`);
  return item;
}

function showSummary(plan, results) {
  const names = new Map(plan.exercises.map((exercise) => [exercise.exercise_id, exercise.name]));
  element("summary-results").replaceChildren(
    ...results.map((result) =>
      listItem(`${names.get(result.exercise_id)}:`, resultWords(result)),
    ),
  );
  showScreen("summary");
  element("summary-title").focus();
}

function showNextTime(changes) {
  const list = document.createElement("ul");
  list.append(
    ...changes.map((change) =>
      listItem(`${change.name}:`, [change.dose_text, change.reason].filter(Boolean).join(". ")),
    ),
  );
  element("next-time").replaceChildren(list);
}

// Save on the device first, then send: the summary shows at once, and the outbox (see
// outbox.js) keeps trying until the server has the session.
async function saveAndSend(upload) {
  window.addEventListener("outbox:flushed", ({ detail }) => {
    const mine = detail.sent.find((answer) => answer.uuid === upload.uuid);
    if (mine?.body?.next) showNextTime(mine.body.next);
  });
  const entry = {
    uuid: upload.uuid,
    url: settings.uploadUrl,
    body: upload,
    headers: { [settings.ownerHeader]: settings.owner },
    savedAt: new Date().toISOString(),
  };
  try {
    await saveToOutbox(entry);
  } catch (error) {
    console.error("This device could not keep the session.", error);
    element("sync-status").textContent = texts.not_saved;
    element("sync-status").hidden = false;
    return;
  }
  await sendOutbox().catch((error) => console.warn("Not sent yet:", error));
}

// A tap on "back" in the middle of a session would lose it: the browser asks first.
function askBeforeLeaving(event) {
  event.preventDefault();
}

async function main() {
  const data = await loadPlan();
  if (!data) return;
  setSound(savedSoundChoice(data.voice_on));
  if (data.plans.normal.exercises.length === 0) {
    showProblem(texts.nothing_to_do);
    return;
  }
  const painBefore = {
    leg: await askPain(texts.before_title, texts.leg_pain_question),
    back: await askPain(texts.before_title, texts.back_pain_question),
  };
  const gentle = await chooseGentle(data, painBefore.leg);
  const plan = data.plans[gentle ? "gentle" : "normal"];
  pictures = new Pictures(element("illustration"), data.illustrations);
  pictures.load(plan.exercises.map((exercise) => exercise.exercise_id));
  const uuid = newUuid();
  const startedAt = new Date();
  const letScreenSleep = keepScreenAwake();
  window.addEventListener("beforeunload", askBeforeLeaving);
  const results = await new SessionRun(plan).play();
  voice.silence();
  const painAfter = {
    leg: await askPain(texts.after_title, texts.leg_pain_question, { spoken: true }),
    back: await askPain(texts.after_title, texts.back_pain_question, { spoken: true }),
  };
  letScreenSleep();
  window.removeEventListener("beforeunload", askBeforeLeaving);
  const upload = {
    uuid,
    prescription_version: data.prescription_version,
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    locale: data.locale,
    gentle,
    pain_before: painBefore,
    pain_after: painAfter,
    results,
  };
  showSummary(plan, results);
  await saveAndSend(upload);
}

element("try-again").addEventListener("click", () => location.reload());
main();
