// The exercise picture in the player: fetched once per exercise, and moved in step with the
// session clock. All the geometry comes from the server (see figures/figure.js); this only
// says which step is on and how far through it the session is.

import { mountFigure } from "../figures/figure.js";

// The plan's phases in which the body moves (the march lifts a foot and puts it down).
const MOVING_PHASES = new Set(["moving-in", "moving-out", "left", "right"]);

export class Pictures {
  // slot: the player's picture box; urls: exercise id -> its picture data (from the plan).
  constructor(slot, urls = {}) {
    this.slot = slot;
    this.urls = urls;
    this.data = new Map();
    this.figure = null;
    this.exerciseId = null;
    this.frame = null;
    this.shown = null; // the step on screen and its clock, for a picture that comes late
  }

  // Fetched in the background, so a session never waits for its pictures; one that comes
  // in while its exercise is on screen is shown at once. A picture that does not load is
  // left out: the words and the voice still guide.
  load(exerciseIds) {
    for (const exerciseId of exerciseIds) {
      const url = this.urls[exerciseId];
      if (!url) continue;
      fetch(url, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .then((data) => {
          if (!data) return;
          this.data.set(exerciseId, data);
          if (exerciseId === this.exerciseId && !this.figure && this.shown) {
            this.exerciseId = null; // mount it now
            this.follow(...this.shown);
          }
        })
        .catch(() => {}); // offline with nothing kept: no picture for this one
    }
  }

  // Show one step. A still pose is drawn once; during a move the figure follows the clock
  // on every animation frame until the move is over.
  follow(step, elapsed) {
    this.stop();
    this.shown = [step, elapsed];
    if (step.exercise_id !== this.exerciseId) this.mount(step.exercise_id);
    if (!this.figure) return;
    const phase = step.phase ?? "start";
    if (!MOVING_PHASES.has(phase) || !step.duration_ms) {
      this.figure.show(phase, 0);
      return;
    }
    const draw = () => {
      const fraction = (elapsed() - step.offset_ms) / step.duration_ms;
      this.figure.show(phase, fraction);
      if (fraction < 1) this.frame = requestAnimationFrame(draw);
    };
    draw();
  }

  mount(exerciseId) {
    this.exerciseId = exerciseId;
    const data = this.data.get(exerciseId);
    this.figure = data ? mountFigure(this.slot, data) : null;
    if (!data) this.slot.replaceChildren();
    // The picture's own words, for people who cannot see it.
    this.slot.setAttribute("aria-label", data ? `${data.title}. ${data.description}` : "");
    this.slot.hidden = !data;
  }

  stop() {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
  }
}
