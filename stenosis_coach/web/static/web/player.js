// The guided session player: plays the timeline from /api/plan/ and collects the answers.
//
// Every word comes from the page (the "player-texts" block) or from the plan; every duration,
// counter and cue comes from the plan. This script only keeps time and shows what the plan
// says, in order: pain before, the screens before the exercises (the briefing, getting
// down), the exercises (each closed by a check-in), getting up, pain after and one question
// on new numbness, then the session is saved on the device and sent.
//
// The clock (clock.js) is the one source of time: a step that changes the body's position
// stops it until the patient is ready, "More time" moves it back, and nothing adds up ticks.

import { Beeper } from "./beeps.js";
import { SessionClock } from "./clock.js";
import { offerCopyOnly } from "./kept.js";
import { saveToOutbox, sendOutbox } from "./outbox.js";
import { Pictures } from "./pictures.js";
import {
  announce,
  ask,
  confirm,
  element,
  fillUrgent,
  overlay,
  overlayOpen,
  refit,
  root,
  showScreen,
  showUrgent,
  texts,
  useVoice,
  waitForReady,
} from "./screens.js";
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

const settings = root.dataset; // planUrl, uploadUrl, todayUrl, checkUrl, owner, ownerHeader
const MORE_TIME_MS = 10_000;
const PRECISE_TIMER_MS = 25; // the last timer before a step's end (see tick)

const voice = new Voice(document.documentElement.lang || "en");
const beeper = new Beeper();
useVoice(voice);
let currentRun = null;
let pictures = null; // the pictures, once the plan has loaded

// What this visit has so far: the pain answers before, and whether anything is kept.
const visit = { data: null, painBefore: null, painTakenAt: null, kept: false, letScreenSleep: null };

// How long the session was paused (Pause, or the page hidden: the phone locked), in wall
// time as the server measures the session: it judges a session by the time not paused.
class PauseMeter {
  #reasons = new Set(); // "paused", "hidden": paused while any is on
  #since = null; // Date.now() when the current pause began, while counting
  #total = 0; // ms paused before it
  #counting = false;

  start() {
    this.#total = 0;
    this.#counting = true;
    this.#since = this.#reasons.size > 0 ? Date.now() : null;
  }

  mark(reason, on) {
    const wasPaused = this.#reasons.size > 0;
    if (on) this.#reasons.add(reason);
    else this.#reasons.delete(reason);
    const paused = this.#reasons.size > 0;
    if (!this.#counting || paused === wasPaused) return;
    if (paused) this.#since = Date.now();
    else this.#closePause();
  }

  #closePause() {
    if (this.#since !== null) this.#total += Math.max(0, Date.now() - this.#since);
    this.#since = null;
  }

  // Whole seconds paused up to now, never more than the session lasted.
  secondsUntilNow(startedAt) {
    const open = this.#since === null ? 0 : Math.max(0, Date.now() - this.#since);
    const lasted = Math.max(0, Date.now() - startedAt.getTime());
    return Math.floor(Math.min(this.#total + open, lasted) / 1000);
  }
}

const pauses = new PauseMeter();

// Cue times, for bench/cues.py: only with ?cue-times in the page's address. For each timed
// step: its planned offset, and the session time (ms) when it was on screen (words written,
// layout done), when its cue was handed to the voice, and the next animation frame. A step
// passed over by a late timer is kept with shown null. Nothing is recorded otherwise.
const cueTimes = new URLSearchParams(location.search).has("cue-times") ? [] : null;
if (cueTimes) window.cueTimes = cueTimes;

function askPain(context, question, { spoken = false, id = "pain" } = {}) {
  const answers = Array.from({ length: 11 }, (_, score) => ({
    label: String(score),
    value: score,
    note: score === 0 ? texts.pain_none : score === 10 ? texts.pain_worst : "",
  }));
  return ask({
    id,
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
// Sound: the voice and the beeps as the patient's settings say (the plan brings them); the
// switch turns both off, or back on, for this session.

const soundSettings = { voice: true, beeps: true };

function setSound(on) {
  const noneChosen = !soundSettings.voice && !soundSettings.beeps;
  voice.on = on && (soundSettings.voice || noneChosen);
  beeper.on = on && (soundSettings.beeps || noneChosen);
  if (!voice.on) voice.silence();
  element("sound-toggle").textContent = on ? texts.sound_off : texts.sound_on;
  element("sound-toggle").dataset.on = on ? "yes" : "no";
}

element("sound-toggle").addEventListener("click", () => {
  const on = element("sound-toggle").dataset.on !== "yes";
  setSound(on);
  saveSoundChoice(on);
});

// Browsers only allow sound after a tap, and every step of the way starts with one. The
// first tap (a pain question, long before the first timed step) also wakes the speech
// engine and starts the sound output, so the first cues are not late.
root.addEventListener(
  "click",
  () => {
    beeper.warmUp();
    voice.warmUp();
  },
  { capture: true },
);

// The screen cannot be kept on (wake.js): a note on the exercise screen says so, and says
// what to do. The session keeps time all the same.
function showScreenNote(refused) {
  const note = element("wake-note");
  if (note.hidden === !refused) return;
  note.hidden = !refused;
  refit();
}

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
    this.waiting = null; // a change of position on screen: waits for "I'm ready"
    this.marks = new Set(); // beeps and read-outs already given in this step
    this.done = new Map(); // exercise id -> { sets, reps } finished so far
    this.results = [];
    this.stopped = false; // the patient stopped for today
  }

  // Resolves with the results once the last exercise is over (or the patient stops).
  play() {
    return new Promise((resolve) => {
      this.resolveResults = resolve;
      currentRun = this;
      this.clock.start(0);
      this.startStep();
    });
  }

  // Leaving the page: everything stops, and nothing more happens.
  abandon() {
    clearTimeout(this.timer);
    this.clock.stop();
    this.waiting?.cancel();
    pictures?.stop();
    currentRun = null;
  }

  finish({ stopped = false } = {}) {
    clearTimeout(this.timer);
    this.waiting?.cancel();
    pictures?.stop();
    this.showPaused(false);
    this.stopped = stopped;
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

  get nextExerciseOf() {
    return this.exercises[this.exercise.number]; // numbers start at 1
  }

  progressOf(exerciseId) {
    if (!this.done.has(exerciseId)) this.done.set(exerciseId, { sets: 0, reps: 0 });
    return this.done.get(exerciseId);
  }

  // The step at this.index starts: one that waits for the patient holds the clock at its
  // offset; any other runs.
  startStep() {
    this.wokeAt = this.clock.elapsed;
    if (this.step.waits) {
      this.clock.stop();
      this.clock.seek(this.step.offset_ms);
      this.waitForPatient();
      return;
    }
    if (root.dataset.state !== "step") this.showSteps();
    this.showStep();
    this.tick();
  }

  // Move through every step whose time is over, then show the time left and wake up again
  // when the next whole second is due. Time always comes from the clock, so a late timer
  // catches up instead of drifting.
  tick() {
    clearTimeout(this.timer);
    if (!this.playing) return;
    const now = this.clock.elapsed;
    this.wokeAt = now; // for cueTimes: when this tick began
    let moved = false;
    while (now >= stepEnd(this.step)) {
      this.stepFinished(this.index);
      const next = this.steps[this.index + 1];
      if (!next) return this.finish();
      if (moved && cueTimes) {
        cueTimes.push({ index: this.index, kind: this.step.kind, planned: this.step.offset_ms,
          woke: now, shown: null, spoken: null, frame: null });
      }
      this.index += 1;
      if (next.kind === "check-in") {
        // The clock waits at the check-in until it is answered.
        this.clock.stop();
        this.clock.seek(next.offset_ms);
        return this.checkIn();
      }
      if (next.waits) return this.startStep();
      moved = true;
    }
    if (moved) this.showStep();
    this.showTimeLeft(now);
    const left = secondsLeft(this.step, now);
    const nextSecond = stepEnd(this.step) - (left - 1) * 1000;
    // A long timer may come a few ms late (Chromium lets timers of 32 ms or more run late
    // to group wake-ups), a short one closer to its time: so the step's end is reached with
    // a short last timer, set a little before it (see bench/cues.py).
    const wait = nextSecond - now;
    const early = left === 1 && wait > PRECISE_TIMER_MS ? PRECISE_TIMER_MS : 0;
    this.timer = setTimeout(() => this.tick(), Math.max(1, wait - early));
  }

  stepFinished(index) {
    const step = this.steps[index];
    const done = this.progressOf(step.exercise_id);
    if (step.kind === "hold") done.reps += 1;
    if (endsSet(this.steps, index)) done.sets += 1;
  }

  showSteps() {
    showScreen("step", { controls: true });
    element("exercise-name").focus();
  }

  // A change of position: the clock stands still until the patient taps "I'm ready".
  async waitForPatient() {
    const step = this.step;
    const exercise = this.exercise;
    this.marks.clear();
    this.waiting = waitForReady({
      context: fill(texts.exercise_of, { number: exercise.number, count: this.exercises.length }),
      title: exercise.name,
      text: step.text,
      cue: step.cue,
      controls: true,
      picture: (box) => pictures?.pose(box, step.exercise_id, step.phase ?? "start"),
    });
    announce(step.text);
    const ready = await this.waiting.done;
    this.waiting = null;
    if (!ready || this.step !== step || currentRun !== this) return;
    this.clock.resume();
    this.showSteps();
    this.tick(); // the waiting step lasts no time: on to the next one
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
    // Time to settle into a position: a little more when it is needed.
    element("more-time-button").hidden = !(step.kind === "position" && !step.waits);
    const panel = element("step-panel");
    panel.dataset.kind = step.kind;
    panel.classList.remove("is-new");
    void panel.offsetWidth; // restart the animation
    panel.classList.add("is-new");
    this.showTimeLeft(this.clock.elapsed);
    refit();
    const times = this.recordCue(step);
    voice.say(step.cue);
    if (times) voice.onSpeak = null;
    announce(fill(texts.step_with_seconds, { text: step.text, seconds: step.duration_ms / 1000 }));
  }

  // See cueTimes: the step is on screen now; its cue is about to be handed to the voice.
  recordCue(step) {
    if (!cueTimes) return null;
    const clock = this.clock;
    const times = { index: this.index, kind: step.kind, planned: step.offset_ms,
      woke: this.wokeAt ?? null, shown: clock.elapsed, spoken: null, frame: null };
    cueTimes.push(times);
    voice.onSpeak = () => {
      times.spoken = clock.elapsed;
    };
    requestAnimationFrame(() => {
      times.frame = clock.elapsed;
    });
    return times;
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

  // Ten more seconds to get into position: the session clock goes back, so the countdown
  // and every later step move with it.
  moreTime() {
    if (this.step.kind !== "position" || this.step.waits || this.asking) return;
    this.clock.seek(this.clock.elapsed - MORE_TIME_MS);
    this.showTimeLeft(this.clock.elapsed);
    announce(texts.more_time_given);
    this.tick();
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
    if (this.clock.running || this.asking || this.waiting) return;
    this.showPaused(false);
    this.clock.resume();
    voice.say(this.step.text);
    this.tick();
  }

  showPaused(paused) {
    pauses.mark("paused", paused);
    element("paused-note").hidden = !paused;
    element("pause-button").textContent = paused ? texts.resume : texts.pause;
    element("pause-button").dataset.paused = paused ? "yes" : "no";
    root.classList.toggle("is-paused", paused);
    refit();
  }

  // Stop the clock while something else is on screen (asking first, the urgent signs);
  // the function returned lets it go on as before.
  hold() {
    if (!this.playing) return () => {};
    this.clock.stop();
    clearTimeout(this.timer);
    voice.silence();
    return () => {
      if (currentRun !== this || this.asking || this.clock.running) return;
      this.clock.resume();
      this.tick();
    };
  }

  // After each exercise: did it make the leg pain worse? After a pelvic tilt at its target
  // while the march waits for it, a second check-in follows (check "back-flat"): could you
  // keep your low back pressed flat? It is left out after "yes, worse": that session cannot
  // count towards opening the march anyway.
  async checkIn() {
    const worse = await this.askYesNo("check-in", this.step);
    const outcome = { completed: true, worse, stop_reason: null };
    const next = this.steps[this.index + 1];
    if (next?.kind === "check-in" && next.check === "back-flat") {
      this.index += 1;
      if (!worse) outcome.kept_back_flat = await this.askYesNo("back-flat", next);
    }
    this.record(outcome);
    this.nextExercise();
  }

  askYesNo(id, step) {
    return this.question({
      id,
      context: this.exercise.name,
      title: step.text,
      speak: step.cue,
      answers: [
        { label: texts.yes, value: true },
        { label: texts.no, value: false },
      ],
      layout: "pair",
    });
  }

  // Skip asks first (a shaky tap must not skip an exercise); the clock waits meanwhile.
  async skip() {
    if (this.asking) return;
    const goOn = this.hold();
    const yes = await confirm({ title: texts.skip_title, yes: texts.skip_yes, no: texts.skip_no });
    if (!yes || currentRun !== this) return goOn();
    this.waiting?.cancel();
    this.record({ completed: false, worse: false, stop_reason: "skipped" });
    this.nextExercise();
  }

  // "It hurts — stop": the exercise ends at once, before anything else is asked. Then calm
  // advice, and the patient chooses what comes next: nothing starts by itself.
  async hurt() {
    if (this.asking) return;
    this.waiting?.cancel();
    this.clock.stop();
    clearTimeout(this.timer);
    voice.silence();
    const reason = await this.question({
      id: "hurt",
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
    const more = Boolean(this.nextExerciseOf);
    const choice = await this.question({
      id: "after-hurt",
      context: this.exercise.name,
      title: texts.hurt_advice_title,
      help: more ? `${texts.hurt_advice} ${texts.hurt_choice}` : texts.hurt_advice,
      speak: [texts.hurt_advice_title, texts.hurt_advice, more ? texts.hurt_choice : ""].join(" "),
      answers: [
        { label: texts.end_now, value: "stop" },
        ...(more ? [{ label: texts.go_on_next, value: "next" }] : []),
      ],
    });
    if (choice === "stop") this.finish({ stopped: true });
    else this.nextExercise();
  }

  stopForToday() {
    if (this.asking) return;
    this.record({ completed: false, worse: false, stop_reason: "skipped" });
    this.finish({ stopped: true });
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
      dose: exercise.dose, // the dose played: a held-back step-up plays the earlier one
      ...outcome,
      sets_done: done.sets,
      reps_done: done.reps,
    });
  }

  nextExercise() {
    const next = this.nextExerciseOf;
    if (!next) return this.finish();
    this.index = next.first;
    this.clock.seek(this.step.offset_ms);
    this.clock.resume();
    this.showPaused(false);
    this.startStep();
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
element("more-time-button").addEventListener("click", () => currentRun?.moreTime());

// A hidden page cannot show the steps: hold the session until the person is back.
document.addEventListener("visibilitychange", () => {
  pauses.mark("hidden", document.visibilityState === "hidden");
  if (document.visibilityState === "hidden") currentRun?.pause();
});

// The urgent signs, over whatever is on show; the session waits meanwhile.
element("urgent-button").addEventListener("click", async () => {
  if (root.dataset.state === "urgent") return;
  const goOn = currentRun?.hold() ?? (() => {});
  voice.silence();
  await showUrgent();
  goOn();
});

// Leaving asks first; the pain answers are kept even so.
element("leave-button").addEventListener("click", async () => {
  if (overlayOpen()) return;
  const goOn = currentRun?.hold() ?? (() => {});
  const leave = await confirm({
    title: texts.leave_title,
    text: currentRun ? texts.leave_text : "",
    yes: texts.leave_yes,
    no: texts.leave_no,
  });
  if (!leave) return goOn();
  currentRun?.abandon();
  voice.silence();
  visit.letScreenSleep?.();
  window.removeEventListener("beforeunload", askBeforeLeaving);
  if (!visit.kept && visit.painBefore) await keepPainAnswers().catch(() => {});
  location.assign(settings.todayUrl);
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

// Leg pain far above usual: the gentle stretches are advised. Leg pain at `rest_from` or
// more: rest is advised, with the rest positions; the full session is not offered at all.
// Resolves with "normal", "gentle" or "rest".
async function chooseSession(data, legPainNow) {
  const gentleExercises = data.plans.gentle.exercises.length > 0;
  if (data.rest_from != null && legPainNow >= data.rest_from) {
    return ask({
      id: "rest",
      context: texts.before_title,
      title: texts.rest_title,
      help: data.rest_advice,
      speak: data.rest_advice,
      pictures: restPictures,
      answers: [
        ...(gentleExercises ? [{ label: texts.gentle_choice, value: "gentle" }] : []),
        { label: texts.rest_choice, value: "rest", style: "primary" },
      ],
    });
  }
  const usual = data.usual_leg_pain;
  const advised = usual !== null && legPainNow - usual >= data.gentle_rise;
  if (!advised || !gentleExercises) return "normal";
  return ask({
    id: "gentle",
    context: texts.before_title,
    title: texts.gentle_title,
    help: data.gentle_advice,
    speak: data.gentle_advice,
    answers: [
      { label: texts.gentle_choice, value: "gentle", style: "primary" },
      { label: texts.normal_choice, value: "normal" },
    ],
  });
}

// A step-up not played yet waits when leg pain now is higher than at the start of last
// time (both known): the plan at the earlier doses plays instead, and says why first. The
// plan brings both, so this works offline.
function holdsBackStepUps(data, legPainNow) {
  const before = data.last_leg_pain_before;
  return Boolean(data.plans.held_back) && before != null && legPainNow > before;
}

function planFor(data, { gentle, heldBack }) {
  const name = gentle ? "gentle" : "normal";
  const easier = heldBack ? data.plans[gentle ? "held_back_gentle" : "held_back"] : null;
  return easier ?? data.plans[name];
}

const REST_PICTURES = ["rest-lying", "rest-sitting"];

// The rest positions, side by side, each named under it.
function restPictures(box) {
  box.hidden = false;
  for (const pictureId of REST_PICTURES) {
    const figure = document.createElement("figure");
    const picture = document.createElement("div");
    picture.className = "picture-box";
    picture.setAttribute("role", "img");
    const caption = document.createElement("figcaption");
    figure.append(picture, caption);
    box.append(figure);
    figure.hidden = true;
    pictures?.fetch(pictureId).then((data) => {
      if (!data) return;
      caption.textContent = data.title;
      figure.hidden = false;
      refit();
    });
    pictures?.still(picture, pictureId);
  }
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

// The screens around the exercises (the briefing, getting down, getting up): each waits.
async function showAside(screen, context) {
  const waiting = waitForReady({
    context,
    title: screen.title,
    points: screen.points,
    cue: screen.cue,
    picture: screen.picture ? (box) => pictures?.still(box, screen.picture) : null,
  });
  announce(screen.title);
  await waiting.done;
}

// How to get up: the plan's way for where the body is now (back, or hands and knees).
function outroFor(plan, run) {
  const position = run.step?.position;
  return plan.outro_from?.[position] ?? plan.outro ?? [];
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

// What happened, honestly: "Well done" only over an exercise done and kept; the
// pain-monitoring advice when leg pain rose 2 points or more, or an exercise hurt.
function showSummary({ plan, results, saved, painBefore, painAfter, newLegSymptoms }) {
  const names = new Map(plan.exercises.map((exercise) => [exercise.exercise_id, exercise.name]));
  const completed = results.some((result) => result.completed);
  element("summary-title").textContent = !saved
    ? texts.summary_not_saved
    : completed
      ? texts.summary_title
      : texts.summary_stopped;
  element("summary-results").replaceChildren(
    ...results.map((result) =>
      listItem(`${names.get(result.exercise_id)}:`, resultWords(result)),
    ),
  );
  element("summary-done").hidden = results.length === 0;
  const rose = painAfter.leg - painBefore.leg >= 2;
  const hurt = results.some((result) => result.worse);
  element("summary-advice").hidden = !(rose || hurt);
  element("summary-advice-why").textContent = rose ? texts.summary_rose : texts.summary_hurt;
  element("summary-hold").hidden = newLegSymptoms !== true;
  element("rested-text").hidden = true;
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
  element("next-time-part").hidden = changes.length === 0;
  refit();
}

// Kept on the device first (the outbox sends it, now or when back online). Resolves true
// once kept; false when this device could not keep it.
// The summary then shows where this one stands (offline.js): sent, waiting or refused.
async function keep(entry) {
  const status = element("sync-status");
  status.dataset.session = entry.uuid;
  try {
    await saveToOutbox({ ...entry, headers: { [settings.ownerHeader]: settings.owner },
      savedAt: new Date().toISOString() });
    visit.kept = true;
    return true;
  } catch (error) {
    console.error("This device could not keep it:", error?.name); // the name, never the session
    delete status.dataset.session;
    return false;
  }
}

function send() {
  const owner = settings.owner; // this account's: another's waits for them
  return sendOutbox({ owner }).catch((error) => console.warn("Not sent yet:", error?.name));
}

// The pain answers, when no session follows (a rest day, or leaving early): the therapist
// and the usual-pain rule need them.
async function keepPainAnswers() {
  const uuid = newUuid();
  const kept = await keep({
    uuid,
    url: visit.data.pain_url,
    body: { uuid, taken_at: visit.painTakenAt, ...visit.painBefore },
  });
  if (kept) await send();
  return kept;
}

function showRested(kept) {
  element("summary-title").textContent = kept ? texts.rested_title : texts.summary_not_saved;
  element("rested-text").hidden = false;
  for (const part of ["summary-done", "summary-advice", "summary-hold", "next-time-part"]) {
    element(part).hidden = true;
  }
  if (!kept) showStatus(texts.not_saved);
  showScreen("summary");
  element("summary-title").focus();
}

function showStatus(words) {
  element("sync-status").textContent = words;
  element("sync-status").hidden = false;
}

// A tap on "back" in the middle of a session would lose it: the browser asks first.
function askBeforeLeaving(event) {
  event.preventDefault();
}

async function main() {
  const data = await loadPlan();
  if (!data) return;
  visit.data = data;
  soundSettings.voice = data.voice_on ?? true;
  soundSettings.beeps = data.beeps_on ?? true;
  setSound(savedSoundChoice() ?? (soundSettings.voice || soundSettings.beeps));
  fillUrgent(data.emergency_phone ?? "911");
  element("urgent-button").hidden = false;
  pictures = new Pictures(element("illustration"), data.illustrations);
  pictures.onChange = refit;
  if (data.plans.normal.exercises.length === 0) {
    showProblem(texts.nothing_to_do);
    return;
  }
  const painBefore = {
    leg: await askPain(texts.before_title, texts.leg_pain_question, { id: "leg-pain-before" }),
    back: await askPain(texts.before_title, texts.back_pain_question, { id: "back-pain-before" }),
  };
  visit.painBefore = painBefore;
  visit.painTakenAt = new Date().toISOString();
  const choice = await chooseSession(data, painBefore.leg);
  if (choice === "rest") {
    showRested(await keepPainAnswers());
    return;
  }
  const gentle = choice === "gentle";
  const plan = planFor(data, { gentle, heldBack: holdsBackStepUps(data, painBefore.leg) });
  const intro = plan.intro ?? [];
  const asides = [...intro, ...(plan.outro ?? [])].map((screen) => screen.picture);
  pictures.load([...plan.exercises.map((exercise) => exercise.exercise_id), ...asides]);
  const uuid = newUuid();
  const startedAt = new Date();
  pauses.start();
  visit.letScreenSleep = keepScreenAwake({
    onRefused: () => showScreenNote(true),
    onKept: () => showScreenNote(false),
  });
  window.addEventListener("beforeunload", askBeforeLeaving);
  for (const screen of intro) await showAside(screen, texts.before_title);
  const run = new SessionRun(plan);
  const results = await run.play();
  voice.silence();
  for (const screen of outroFor(plan, run)) await showAside(screen, texts.after_title);
  const painAfter = {
    leg: await askPain(texts.after_title, texts.leg_pain_question, { spoken: true,
      id: "leg-pain-after" }),
    back: await askPain(texts.after_title, texts.back_pain_question, { spoken: true,
      id: "back-pain-after" }),
  };
  const newLegSymptoms = await ask({
    id: "numbness",
    context: texts.numbness_context,
    title: texts.numbness_title,
    help: texts.numbness_help,
    speak: texts.numbness_title,
    layout: "pair",
    answers: [
      { label: texts.yes, value: true },
      { label: texts.no, value: false },
    ],
  });
  visit.letScreenSleep();
  window.removeEventListener("beforeunload", askBeforeLeaving);
  const upload = {
    uuid,
    prescription_version: data.prescription_version,
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    paused_seconds: pauses.secondsUntilNow(startedAt),
    locale: data.locale,
    gentle,
    pain_before: painBefore,
    pain_after: painAfter,
    new_leg_symptoms: newLegSymptoms,
    results,
  };
  window.addEventListener("outbox:flushed", ({ detail }) => {
    const mine = detail.sent.find((answer) => answer.uuid === upload.uuid);
    if (mine?.body?.next) showNextTime(mine.body.next);
  });
  const saved = await keep({ uuid, url: settings.uploadUrl, body: upload });
  showSummary({ plan, results, saved, painBefore, painAfter, newLegSymptoms });
  if (saved) {
    await send();
  } else {
    showStatus(texts.not_saved);
    offerCopyOnly(element("kept-sessions"), upload, texts); // a copy is all that is left
  }
}

element("try-again").addEventListener("click", () => location.reload());
main();
