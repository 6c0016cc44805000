// Fits the player's screen into the window, with nothing to scroll and nothing cut off.
//
// The layout (player.css) does most of it: the player is a grid exactly as tall as the
// window, and the picture takes only the space left over, so it shrinks or goes first when
// space is short. What is left, long words on a small phone or text made bigger in the
// browser's settings, is fitted here: the player's type (every size is in em, from --fit)
// steps down until the screen fits, never below the smallest sizes in player.css (18 px
// text, 48 px targets, 96 px countdown digits on an upright phone).

// The steps tried in turn: the size of the type, and what gives way (cumulative): 1 the
// line that says what comes next, 2 the small line above each heading, 3 the word "seconds"
// under the countdown and the hint under "I'm ready"; 4, the last resort, a long list (the
// briefing's points, class may-scroll) scrolls in its own box.
const STEPS = [
  [1, 0], [0.92, 0], [0.85, 0], [0.78, 0], [0.78, 1], [0.72, 1], [0.66, 1], [0.66, 2],
  [0.6, 2], [0.55, 2], [0.5, 2], [0.45, 2], [0.4, 2], [0.4, 3], [0.35, 3], [0.35, 4],
];
const SLACK_PX = 1; // rounding
const MIN_SCROLL_BODY = 0.4; // of the window's height

// True when something in the shown screen does not fit: a box taller than its place in
// the grid, text wider than its button, or the page itself taller or wider than the window.
export function overflows(root) {
  const page = document.documentElement;
  if (page.scrollHeight > page.clientHeight + SLACK_PX) return true;
  if (page.scrollWidth > page.clientWidth + SLACK_PX) return true;
  if (root.scrollHeight > root.clientHeight + SLACK_PX) return true;
  for (const box of root.querySelectorAll(":scope > *, .scroll-body, .step-panel")) {
    if (!box.checkVisibility() || box.classList.contains("visually-hidden")) continue;
    // A box that scrolls by design (the urgent signs, the summary) needs room for a few lines.
    const scrolls = box.classList.contains("scroll-body");
    if (scrolls && box.clientHeight < MIN_SCROLL_BODY * window.innerHeight) return true;
    if (!scrolls && box.scrollHeight > box.clientHeight + SLACK_PX) return true;
    if (box.scrollWidth > box.clientWidth + SLACK_PX) return true;
  }
  for (const button of root.querySelectorAll(".button, .ready-area")) {
    if (!button.checkVisibility()) continue;
    if (button.scrollWidth > button.clientWidth + SLACK_PX) return true;
  }
  return false;
}

// The largest type at which the screen fits, giving way as little as it can (the last step
// when nothing fits).
export function fitScreen(root) {
  let chosen = STEPS.at(-1);
  for (const step of STEPS) {
    apply(root, step);
    if (!overflows(root)) {
      chosen = step;
      break;
    }
  }
  apply(root, chosen);
  root.dataset.fit = String(chosen[0]);
  root.dataset.fitFor = `${window.innerWidth}x${window.innerHeight}`;
  return chosen[0];
}

function apply(root, [scale, squeeze]) {
  root.style.setProperty("--fit", String(scale));
  root.dataset.squeeze = String(squeeze);
  // A box that scrolls can be scrolled with the keyboard too.
  for (const box of root.querySelectorAll(".may-scroll")) {
    if (squeeze === 4) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  }
}

// Fit now, and again whenever the window changes size (a phone turned on its side) or the
// text size changes.
export function keepFitting(root) {
  let pending = false;
  const fit = () => {
    pending = false;
    fitScreen(root);
  };
  const soon = () => {
    if (pending) return;
    pending = true;
    queueMicrotask(fit);
  };
  window.addEventListener("resize", fit);
  new ResizeObserver(soon).observe(document.documentElement);
  fit();
  return soon;
}
