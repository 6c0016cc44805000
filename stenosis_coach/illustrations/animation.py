"""The figure in motion: the frames the player steps through during each plan phase.

The frames are worked out here, in Python: the browser only picks the frame for the share of
the step that has passed and writes its numbers into the SVG.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stenosis_coach.programme.plan import Phase

from .geometry import ease_in_out
from .keyframes import Illustration
from .kinematics import Figure, pose_figure
from .pose import Pose, blend

STEPS_PER_MOVE = 30  # frames from one keyframe to the next: smooth over a 3-5 s move
TOP_FRAMES = 12  # a lifted foot stays up for this many frames before it comes down


@dataclass(frozen=True, slots=True)
class Animation:
    """Every frame once, and for each phase the frames it plays, in order."""

    frames: tuple[Figure, ...]
    phases: Mapping[str, tuple[int, ...]]
    keyframe_frames: Mapping[str, int]


def move(start: Pose, end: Pose, steps: int = STEPS_PER_MOVE) -> list[Figure]:
    """The in-between frames from `start` (left out) to `end` (the last), eased at both ends
    so the figure starts and stops gently."""
    return [
        pose_figure(blend(start, end, ease_in_out(step / steps))) for step in range(1, steps + 1)
    ]


def build_animation(illustration: Illustration) -> Animation:
    """The start pose; for `end`, moving in, holding and moving out; for any other keyframe
    (the march's `left` and `right`), out and back within its one step."""
    start = illustration.start.pose
    frames = [pose_figure(start)]
    phases: dict[str, tuple[int, ...]] = {Phase.START.value: (0,)}
    keyframe_frames = {Phase.START.value: 0}
    for name, keyframe in illustration.keyframes.items():
        if name == Phase.START:
            continue
        first = len(frames)
        frames.extend(move(start, keyframe.pose))
        forth = (0, *range(first, len(frames)))
        keyframe_frames[name] = forth[-1]
        if name == Phase.END:
            phases[Phase.MOVING_IN.value] = forth
            phases[Phase.END.value] = (forth[-1],)
            phases[Phase.MOVING_OUT.value] = forth[::-1]
        else:
            phases[name] = (*forth, *(forth[-1],) * TOP_FRAMES, *forth[::-1])
    return Animation(tuple(frames), phases, keyframe_frames)
