// The player's screens: one shown at a time, each fitted to the window (fit.js).
//
// - ask(): a question with big answer buttons;
// - waitForReady(): a screen that waits for "I'm ready" (a tap anywhere on it, Space or
//   Enter), with a spoken reminder now and then;
// - overlay(): a screen over the one on show (asking first, the urgent signs), which comes
//   back as it was when it closes.
//
// Every word comes from the page (the "player-texts" block) or from the plan.

import { fitScreen, keepFitting } from "./fit.js";

export const texts = JSON.parse(document.getElementById("player-texts").textContent);
export const root = document.getElementById("player");
export const element = (id) => document.getElementById(id);

const REMINDER_MS = 30_000; // while waiting for "I'm ready"

let voice = { say() {}, silence() {} };

export function useVoice(theVoice) {
  voice = theVoice;
}

export const refit = () => fitScreen(root);
keepFitting(root);

// controls: the exercise's own controls ("It hurts — stop", Pause, Skip) under the screen.
export function showScreen(name, { controls = false } = {}) {
  for (const screen of root.querySelectorAll("[data-screen]")) {
    screen.hidden = screen.dataset.screen !== name;
  }
  root.dataset.state = name;
  element("controls").hidden = !controls;
  refit();
}

let announcement = null;

// Said once by screen readers (a polite live region). Emptied first, so that the same words
// twice in a row are still read.
export function announce(message) {
  const region = element("announcer");
  region.textContent = "";
  clearTimeout(announcement);
  announcement = setTimeout(() => {
    region.textContent = message;
  }, 100);
}

// A fresh tap only: the second tap of a double tap (a shaky hand) lands on whatever comes
// next in the same place. The keyboard gives detail 0.
const freshTap = (event) => event.detail <= 1;

function answerButton(answer, resolve) {
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
    if (freshTap(event)) resolve(answer.value);
  });
  return button;
}

// One question with big answer buttons; resolves with the value of the one tapped.
// pictures(box): fills the picture box under the question (the rest positions), if given.
export function ask({ id = "", context = "", title, help = "", answers, layout = "list", speak = "",
  pictures = null }) {
  return new Promise((resolve) => {
    const screen = root.querySelector('[data-screen="question"]');
    screen.dataset.question = id;
    element("question-context").textContent = context;
    element("question-context").hidden = !context;
    element("question-title").textContent = title;
    element("question-help").textContent = help;
    element("question-help").hidden = !help;
    const box = element("question-pictures");
    box.replaceChildren();
    box.hidden = !pictures;
    const list = element("question-answers");
    list.className = `answers ${layout}`;
    list.replaceChildren(...answers.map((answer) => answerButton(answer, resolve)));
    showScreen("question");
    pictures?.(box);
    element("question-title").focus();
    voice.say(speak);
  });
}

// Waits for "I'm ready": a tap anywhere on the screen, or Space or Enter. Says `cue`, then a
// short reminder every half minute while the screen is on show (not under an overlay).
// Returns { done, cancel }: done resolves true when ready, false when cancelled.
export function waitForReady({ context = "", title, text = "", points = [], cue = "",
  picture = null, controls = false }) {
  element("ready-context").textContent = context;
  element("ready-context").hidden = !context;
  element("ready-title").textContent = title;
  element("ready-text").textContent = text;
  element("ready-points").replaceChildren(
    ...points.map((point) => {
      const item = document.createElement("li");
      item.textContent = point;
      return item;
    }),
  );
  const box = element("ready-picture");
  box.replaceChildren();
  box.hidden = true;
  showScreen("ready", { controls });
  picture?.(box);
  refit();
  element("ready-title").focus();
  voice.say(cue);

  const screen = root.querySelector('[data-screen="ready"]');
  let reminder = null;
  let finish;
  const done = new Promise((resolve) => {
    finish = resolve;
  });
  const remind = () => {
    if (root.dataset.state === "ready") voice.say(texts.ready_reminder);
    reminder = setTimeout(remind, REMINDER_MS);
  };
  reminder = setTimeout(remind, REMINDER_MS);
  const onTap = (event) => {
    if (freshTap(event)) end(true);
  };
  const onKey = (event) => {
    if (root.dataset.state !== "ready" || (event.key !== "Enter" && event.key !== " ")) return;
    // A focused control outside the screen (It hurts, Skip, the tools) does its own thing.
    const focused = document.activeElement;
    if (focused?.closest("button, a, input") && !screen.contains(focused)) return;
    event.preventDefault();
    end(true);
  };
  function end(ready) {
    clearTimeout(reminder);
    screen.removeEventListener("click", onTap);
    document.removeEventListener("keydown", onKey);
    finish(ready);
  }
  screen.addEventListener("click", onTap);
  document.addEventListener("keydown", onKey);
  return { done, cancel: () => end(false) };
}

// A screen over the one on show. show() puts it up and resolves with the answer; then the
// screen before comes back as it was, with the focus where it was.
let overlays = 0;

export async function overlay(show) {
  const before = {
    state: root.dataset.state,
    controls: !element("controls").hidden,
    focus: document.activeElement,
  };
  overlays += 1;
  try {
    return await show();
  } finally {
    overlays -= 1;
    showScreen(before.state, { controls: before.controls });
    if (before.focus && before.focus !== document.body) before.focus.focus();
  }
}

export const overlayOpen = () => overlays > 0;

// "Are you sure?" Resolves true for yes. Escape means no.
export function confirm({ title, text = "", yes, no }) {
  return overlay(
    () =>
      new Promise((resolve) => {
        element("confirm-title").textContent = title;
        element("confirm-text").textContent = text;
        element("confirm-text").hidden = !text;
        const yesButton = element("confirm-yes");
        const noButton = element("confirm-no");
        yesButton.textContent = yes;
        noButton.textContent = no;
        const end = (answer) => {
          yesButton.onclick = null;
          noButton.onclick = null;
          document.removeEventListener("keydown", onKey);
          resolve(answer);
        };
        const onKey = (event) => {
          if (event.key === "Escape") end(false);
        };
        yesButton.onclick = (event) => freshTap(event) && end(true);
        noButton.onclick = (event) => freshTap(event) && end(false);
        document.addEventListener("keydown", onKey);
        showScreen("confirm");
        element("confirm-title").focus();
        voice.say(title);
      }),
  );
}

// The urgent signs, with the button that calls the emergency number. Resolves when the
// patient goes back. Escape goes back too.
export function showUrgent() {
  return overlay(
    () =>
      new Promise((resolve) => {
        const back = element("urgent-back");
        const end = () => {
          back.onclick = null;
          document.removeEventListener("keydown", onKey);
          resolve();
        };
        const onKey = (event) => {
          if (event.key === "Escape") end();
        };
        back.onclick = end;
        document.addEventListener("keydown", onKey);
        element("urgent-body").scrollTop = 0;
        showScreen("urgent");
        element("urgent-title").focus();
      }),
  );
}

// The urgent page's words, from the page: its title, then the signs for the emergency
// department now (urgent_now_1, 2, ...), then those for a doctor today.
export function fillUrgent(phone) {
  const paragraph = (text, tag = "p") => {
    const node = document.createElement(tag);
    node.textContent = text;
    return node;
  };
  const list = (prefix) => {
    const items = document.createElement("ul");
    for (let number = 1; texts[`${prefix}${number}`]; number += 1) {
      items.append(paragraph(texts[`${prefix}${number}`], "li"));
    }
    return items;
  };
  element("urgent-body").replaceChildren(
    paragraph(texts.urgent_intro),
    paragraph(texts.urgent_now_title, "h2"),
    list("urgent_now_"),
    paragraph(texts.urgent_today_title, "h2"),
    list("urgent_today_"),
    paragraph(texts.urgent_usual),
  );
  // The link calls the number: digits and a leading + only.
  element("urgent-call").href = `tel:${phone.replace(/[^0-9+]/g, "")}`;
}
