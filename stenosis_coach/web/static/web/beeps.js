// Short beeps (Web Audio) for the last seconds of a hold.

export class Beeper {
  #context = null;
  on = true;

  // Browsers only let a page make sound after a tap, so call this from one.
  unlock() {
    const AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass) return;
    this.#context ??= new AudioContextClass();
    if (this.#context.state === "suspended") this.#context.resume().catch(() => {});
  }

  // Start the sound output before the first timed step (the first sound after a pause can
  // come late while the device opens): one short silent buffer, once. Call it from a tap.
  warmUp() {
    this.unlock();
    const context = this.#context;
    if (!context || this.#warm) return;
    this.#warm = true;
    try {
      const silence = context.createBufferSource();
      silence.buffer = context.createBuffer(1, Math.ceil(context.sampleRate * 0.05), context.sampleRate);
      silence.connect(context.destination);
      silence.start();
    } catch {
      // No sound output to start: the beeps are a help, never needed.
    }
  }

  #warm = false;

  beep({ pitch = 880, seconds = 0.15 } = {}) {
    const context = this.#context;
    if (!this.on || !context || context.state !== "running") return;
    const tone = context.createOscillator();
    const volume = context.createGain();
    const start = context.currentTime;
    tone.frequency.value = pitch;
    // A soft start and end, so the beep does not click.
    volume.gain.setValueAtTime(0.0001, start);
    volume.gain.exponentialRampToValueAtTime(0.5, start + 0.01);
    volume.gain.exponentialRampToValueAtTime(0.0001, start + seconds);
    tone.connect(volume).connect(context.destination);
    tone.start(start);
    tone.stop(start + seconds + 0.02);
  }
}
