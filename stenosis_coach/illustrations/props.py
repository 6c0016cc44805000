"""Things the figure uses besides the mat: a plain, steady chair (to hold on to when getting
down to the floor and up again, and to sit on)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from .geometry import Vec

SEAT_HEIGHT = 45.0  # cm from the floor to the top of the seat
SEAT_DEPTH = 40.0
BACK_HEIGHT = 85.0  # cm from the floor to the top of the back rest
SEAT_RADIUS = 2.0  # half the thickness of the seat, drawn as a thick line
RAIL_RADIUS = 1.5  # the legs and the back rest


class Facing(IntEnum):
    """Which way the front of the seat points."""

    RIGHT = 1
    LEFT = -1


@dataclass(frozen=True, slots=True)
class Chair:
    """A chair standing on the floor, the front edge of its seat at x = `front` (cm)."""

    front: float
    facing: Facing = Facing.LEFT

    @property
    def back(self) -> float:
        """The x of the seat's back edge, where the back rest stands."""
        return self.front - self.facing * SEAT_DEPTH

    def moved(self, x: float) -> Chair:
        return Chair(self.front + x, self.facing)

    def rails(self) -> tuple[tuple[Vec, Vec, float], ...]:
        """Each part as a thick line: (one end, other end, half its thickness). The seat's
        top is at SEAT_HEIGHT."""
        seat_y = SEAT_HEIGHT - SEAT_RADIUS
        inset = self.facing * RAIL_RADIUS
        front, back = self.front - inset, self.back + inset
        return (
            (Vec(front, 0.0), Vec(front, seat_y), RAIL_RADIUS),  # front leg
            (Vec(back, 0.0), Vec(back, BACK_HEIGHT - RAIL_RADIUS), RAIL_RADIUS),  # back
            (Vec(self.front, seat_y), Vec(self.back, seat_y), SEAT_RADIUS),  # seat
        )

    def seat(self) -> tuple[Vec, Vec]:
        """The top of the seat, front edge first."""
        return Vec(self.front, SEAT_HEIGHT), Vec(self.back, SEAT_HEIGHT)

    def top_of_back(self) -> Vec:
        return Vec(self.back + self.facing * RAIL_RADIUS, BACK_HEIGHT)
