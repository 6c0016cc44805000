// The spoken cues, with the browser's own voice (Web Speech API).

const SLOWER = 0.9; // a little slower than normal: easier to follow from the floor

export class Voice {
  constructor(lang) {
    this.lang = lang;
    this.on = true;
    this.available = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
  }

  say(text) {
    if (!this.on || !this.available || !text) return;
    // Let a cue that is being spoken finish, but drop one still waiting behind it: the
    // voice must never fall behind the screen.
    if (speechSynthesis.pending) speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = this.lang;
    utterance.rate = SLOWER;
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
