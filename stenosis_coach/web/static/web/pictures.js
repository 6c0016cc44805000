// The pictures in the player: fetched once each, then
// - the exercise figure, moved in step with the session clock (follow);
// - a still pose of an exercise in another box (pose), for a change of position;
// - a strip of stages side by side (still): getting down, getting up, the rest positions.
// All the geometry comes from the server (see figures/figure.js); this only says which step
// is on and how far through it the session is.

import { mountFigure } from "../figures/figure.js";

// The plan's phases in which the body moves (the march lifts a foot and puts it down).
const MOVING_PHASES = new Set(["moving-in", "moving-out", "left", "right"]);

export class Pictures {
  // slot: the player's picture box; urls: picture id -> its picture data (from the plan).
  constructor(slot, urls = {}) {
    this.slot = slot;
    this.urls = urls;
    this.data = new Map();
    this.loading = new Map(); // picture id -> a promise of its data (null when it failed)
    this.figure = null;
    this.exerciseId = null;
    this.frame = null;
    this.shown = null; // the step on screen and its clock, for a picture that comes late
    this.wanted = new Map(); // another box -> what it should show once the data is here
    this.onChange = null; // called when a picture comes or goes (the layout may change)
  }

  // Fetched in the background, so a session never waits for its pictures; one that comes
  // in while it is wanted on screen is shown at once. A picture that does not load is
  // left out: the words and the voice still guide.
  load(pictureIds) {
    for (const pictureId of pictureIds) this.fetch(pictureId);
  }

  fetch(pictureId) {
    if (this.loading.has(pictureId)) return this.loading.get(pictureId);
    const url = this.urls[pictureId];
    const promise = !url
      ? Promise.resolve(null)
      : fetch(url, { credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : null))
          .catch(() => null) // offline with nothing kept: no picture for this one
          .then((data) => {
            if (data) this.arrived(pictureId, data);
            return data;
          });
    this.loading.set(pictureId, promise);
    return promise;
  }

  arrived(pictureId, data) {
    this.data.set(pictureId, data);
    if (pictureId === this.exerciseId && !this.figure && this.shown) {
      this.exerciseId = null; // mount it now
      this.follow(...this.shown);
    }
    for (const show of this.wanted.values()) {
      if (show.pictureId === pictureId) show();
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
    describe(this.slot, data);
    this.onChange?.();
  }

  // An exercise's pose, standing still, in another box.
  pose(slot, exerciseId, phase = "start") {
    this.want(slot, exerciseId, (data) => mountFigure(slot, data).show(phase, 0));
  }

  // The strip of stages side by side (getting down, getting up, a rest position).
  still(slot, pictureId) {
    this.want(slot, pictureId, (data) => {
      slot.innerHTML = data.still.svg; // our own server's SVG, its text escaped there
      const svg = slot.querySelector("svg");
      svg?.setAttribute("width", "100%");
      svg?.setAttribute("height", "100%");
      svg?.setAttribute("aria-hidden", "true"); // the box itself says what it shows
    });
  }

  // Show `pictureId` in `slot` with draw(data), now or when it comes; nothing when it has
  // no picture. The box is hidden while it has nothing to show.
  want(slot, pictureId, draw) {
    const show = () => {
      const data = this.data.get(pictureId);
      slot.replaceChildren();
      describe(slot, data);
      if (data) draw(data);
      this.onChange?.();
    };
    show.pictureId = pictureId;
    this.wanted.set(slot, show);
    show();
    if (!this.data.has(pictureId)) this.fetch(pictureId);
  }

  // The box goes back to empty (and stops waiting for a picture that comes late).
  clear(slot) {
    this.wanted.delete(slot);
    slot.replaceChildren();
    describe(slot, null);
  }

  stop() {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
  }
}

// The picture's own words, for people who cannot see it.
function describe(slot, data) {
  slot.setAttribute("aria-label", data ? `${data.title}. ${data.description}` : "");
  slot.hidden = !data;
}
