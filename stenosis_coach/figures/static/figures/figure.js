// The exercise figure: an SVG from the server, moved in step with the session.
//
// All the geometry is worked out on the server (GET /api/illustrations/<exercise-id>/):
// the SVG, every frame's numbers and, for each plan phase, the frames it plays. This module
// only picks the frame nearest to how far through the step the session is, and writes its
// numbers into the SVG.
//
//   const figure = mountFigure(element, data);
//   figure.show(step.phase, elapsedMs / step.duration_ms);  // on each animation frame
//
// People who ask their device for less motion see the keyframes side by side instead; then
// show() only marks the pose that goes with the phase.

const LESS_MOTION = "(prefers-reduced-motion: reduce)";

export function prefersLessMotion() {
  return window.matchMedia?.(LESS_MOTION).matches ?? false;
}

// element: an empty box with a height; its content is replaced by the picture.
export function mountFigure(element, data, { reducedMotion = prefersLessMotion() } = {}) {
  const figure = reducedMotion ? mountStill(element, data) : mountMoving(element, data);
  figure.show("start", 0);
  return figure;
}

function insertSvg(element, markup) {
  element.innerHTML = markup; // our own server's SVG, its text escaped there
  const svg = element.querySelector("svg");
  // Fill the box and keep the proportions (the SVG's viewBox does the scaling).
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", "100%");
  return svg;
}

// The frame nearest to `fraction` (0 to 1) of the way through a phase's frames.
export function pickFrame(frames, fraction) {
  const share = Math.min(1, Math.max(0, Number(fraction) || 0));
  return frames[Math.round(share * (frames.length - 1))];
}

function mountMoving(element, data) {
  const svg = insertSvg(element, data.scene);
  const slot = new Map(data.parts.map((name, index) => [name, index]));
  const parts = [...svg.querySelectorAll("[data-part]")].map((node) => ({
    node,
    index: slot.get(node.dataset.part),
    isLine: node.localName === "line",
  }));
  const arrowGroups = [...svg.querySelectorAll("[data-arrows]")];
  let shownFrame = null;
  let shownArrows;

  return {
    element,
    reducedMotion: false,
    show(phase, fraction = 0) {
      const frame = pickFrame(data.phases[phase] ?? data.phases.start, fraction);
      if (frame !== shownFrame) {
        writeFrame(parts, data.frames[frame]);
        shownFrame = frame;
      }
      const arrows = data.arrows[phase] ?? null;
      if (arrows !== shownArrows) {
        for (const group of arrowGroups) {
          group.setAttribute("visibility", group.dataset.arrows === arrows ? "visible" : "hidden");
        }
        shownArrows = arrows;
      }
    },
  };
}

function writeFrame(parts, numbers) {
  for (const { node, index, isLine } of parts) {
    const [a, b, c, d] = numbers[index];
    if (isLine) {
      node.setAttribute("x1", a);
      node.setAttribute("y1", b);
      node.setAttribute("x2", c);
      node.setAttribute("y2", d);
    } else {
      node.setAttribute("cx", a);
      node.setAttribute("cy", b);
    }
  }
}

function mountStill(element, data) {
  const svg = insertSvg(element, data.still.svg);
  const panels = [...svg.querySelectorAll("[data-keyframe]")];
  return {
    element,
    reducedMotion: true,
    show(phase) {
      const current = data.still.phases[phase] ?? null;
      for (const panel of panels) {
        panel.setAttribute("data-current", String(panel.dataset.keyframe === current));
      }
    },
  };
}
