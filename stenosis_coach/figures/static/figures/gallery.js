// The pictures page: "Show the movement" plays an exercise's movement over and over, at the
// catalogue's pace, until pressed again. It drives figure.js as the session player does.

import { mountFigure } from "./figure.js";

for (const demo of document.querySelectorAll("[data-figure-url]")) {
  const button = demo.querySelector(".figure-play");
  const stage = demo.querySelector(".figure-stage");
  let figure = null;
  let data = null;
  let playing = false;

  button.hidden = false;
  button.addEventListener("click", async () => {
    playing = !playing;
    button.setAttribute("aria-pressed", String(playing));
    button.textContent = playing ? button.dataset.stopLabel : button.dataset.playLabel;
    if (!playing) return;
    if (!figure) {
      const response = await fetch(demo.dataset.figureUrl);
      data = await response.json();
      stage.hidden = false;
      figure = mountFigure(stage, data);
    }
    play();
  });

  // One animation frame at a time: the phase and the share of it that has passed.
  function play() {
    const rounds = data.demo;
    const total = rounds.reduce((sum, { ms }) => sum + ms, 0);
    const started = performance.now();
    const tick = (now) => {
      if (!playing) return;
      let at = (now - started) % total;
      for (const { phase, ms } of rounds) {
        if (at < ms) {
          figure.show(phase, at / ms);
          break;
        }
        at -= ms;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
}
