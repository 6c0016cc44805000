// Session time: milliseconds since the session started, not counting pauses.
//
// It is worked out from performance.now() each time it is read, never added up from timer
// ticks, so a late or throttled timer never makes the session drift.

export class SessionClock {
  #base = 0; // performance.now() at which session time was 0, shifted by every pause
  #stoppedAt = null; // performance.now() when stopped; null while running

  constructor(now = () => performance.now()) {
    this.now = now;
  }

  start(at = 0) {
    this.#base = this.now() - at;
    this.#stoppedAt = null;
  }

  get elapsed() {
    return (this.#stoppedAt ?? this.now()) - this.#base;
  }

  get running() {
    return this.#stoppedAt === null;
  }

  stop() {
    if (this.running) this.#stoppedAt = this.now();
  }

  resume() {
    if (this.running) return;
    this.#base += this.now() - this.#stoppedAt;
    this.#stoppedAt = null;
  }

  // Jump to a point in the session (to the next exercise, or back to a held check-in).
  seek(at) {
    this.#base = (this.#stoppedAt ?? this.now()) - at;
  }
}
