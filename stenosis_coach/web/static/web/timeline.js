// Reading the plan's timeline (built on the server by build_plan): where each exercise starts
// and ends, how far along a step is, and what to show with it.

// Each exercise of the plan with the index of its first step and of its check-in.
export function exercisesOf(plan) {
  return plan.exercises.map((exercise, position) => {
    const first = plan.steps.findIndex((step) => step.exercise_id === exercise.exercise_id);
    const checkIn = plan.steps.findIndex(
      (step, index) => index > first && step.kind === "check-in",
    );
    return { ...exercise, number: position + 1, first, checkIn };
  });
}

export function stepEnd(step) {
  return step.offset_ms + step.duration_ms;
}

// Whole seconds left in a step at session time `now`: what the countdown shows.
export function secondsLeft(step, now) {
  return Math.max(0, Math.ceil((stepEnd(step) - now) / 1000));
}

// The last step of a set: the one just before a set break or the check-in.
export function endsSet(steps, index) {
  const next = steps[index + 1];
  return steps[index].kind !== "set-break" && (next?.kind === "set-break" || next?.kind === "check-in");
}

// A beep at 3, 2 and 1 seconds left in a hold (fewer in a hold shorter than that).
export function beepMarks(step) {
  if (step.kind !== "hold") return [];
  return [3, 2, 1].filter((seconds) => seconds * 1000 < step.duration_ms);
}

// When the live region reads out the time left: halfway and at 5 seconds, in steps long
// enough for that to help. Every second would drown out everything else.
export function announceMarks(step) {
  const seconds = step.duration_ms / 1000;
  if (seconds < 10) return [];
  return [...new Set([Math.ceil(seconds / 2), 5])];
}

export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

// "Rep 2 of 5 · Set 1 of 2" (the set only when there is more than one).
export function counterText(step, texts) {
  const parts = [];
  if (step.rep && step.reps) parts.push(fill(texts.rep_of, { rep: step.rep, reps: step.reps }));
  if (step.sets > 1) parts.push(fill(texts.set_of, { set: step.set, sets: step.sets }));
  return parts.join(" · ");
}

export function nextText(steps, index, texts) {
  const next = steps[index + 1];
  if (!next) return "";
  if (next.kind === "check-in") return texts.next_question;
  return fill(texts.next, { text: next.text });
}
