// The spoken cues, with the browser's own voice (Web Speech API).

const SLOWER = 0.9; // a little slower than normal: easier to follow from the floor

export class Voice {
  constructor(lang) {
    this.lang = lang;
    this.on = true;
    this.available = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
  }

  // Wake the speech engine before the first timed cue, so that cue is not late: the voices
  // load and one silent utterance (a space, at volume 0) opens the engine. Browsers only let
  // a page speak after a tap, so call this from one; it runs once.
  warmUp() {
    if (!this.available || this.#warm) return;
    this.#warm = true;
    try {
      speechSynthesis.getVoices();
      const utterance = new SpeechSynthesisUtterance(" ");
      utterance.volume = 0;
      utterance.lang = this.lang;
      const done = () => {
        if (this.#warming === utterance) this.#warming = null;
      };
      utterance.addEventListener("end", done);
      utterance.addEventListener("error", done);
      this.#warming = utterance;
      speechSynthesis.speak(utterance);
    } catch {
      this.#warming = null; // no engine to wake: the cues are shown anyway
    }
  }

  // Set by the player when it records cue times (see player.js): called as each cue is
  // handed to the browser.
  onSpeak = null;

  #warm = false;
  #warming = null; // the silent utterance, until it ends

  say(text) {
    if (!this.on || !this.available || !text) return;
    // The silent one must not hold up a real cue.
    if (this.#warming) {
      this.#warming = null;
      speechSynthesis.cancel();
    }
    // Let a cue that is being spoken finish, but drop one still waiting behind it: the
    // voice must never fall behind the screen.
    if (speechSynthesis.pending) speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = this.lang;
    utterance.rate = SLOWER;
    this.onSpeak?.(text);
    speechSynthesis.speak(utterance);
  }

  silence() {
    if (this.available) speechSynthesis.cancel();
  }
}

// The sound switch in the player holds for this session (a reload of the page keeps it);
// the lasting choice of voice and beeps is in the patient's settings (the plan says it).
const SOUND_KEY = "stenosis-coach:sound";

export function savedSoundChoice() {
  try {
    const saved = sessionStorage.getItem(SOUND_KEY);
    return saved === null ? null : saved === "on";
  } catch {
    return null; // storage can be blocked; the settings still hold
  }
}

export function saveSoundChoice(on) {
  try {
    sessionStorage.setItem(SOUND_KEY, on ? "on" : "off");
  } catch {
    // Not kept over a reload; nothing else depends on it.
  }
}
