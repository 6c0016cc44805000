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

// The sound choice (voice and beeps) is kept on this device: one tap, remembered.
const SOUND_KEY = "stenosis-coach:sound";

export function savedSoundChoice(fallback) {
  try {
    const saved = localStorage.getItem(SOUND_KEY);
    return saved === null ? fallback : saved === "on";
  } catch {
    return fallback; // storage can be blocked; the default is still fine
  }
}

export function saveSoundChoice(on) {
  try {
    localStorage.setItem(SOUND_KEY, on ? "on" : "off");
  } catch {
    // Not remembered next time; nothing else depends on it.
  }
}
