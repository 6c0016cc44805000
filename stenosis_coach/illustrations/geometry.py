"""Plane geometry for the figure, in centimetres: x to the right, y up, the mat's top at y = 0."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Vec:
    x: float
    y: float

    def __add__(self, other: Vec) -> Vec:
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other: Vec) -> Vec:
        return Vec(self.x - other.x, self.y - other.y)

    def __mul__(self, factor: float) -> Vec:
        return Vec(self.x * factor, self.y * factor)

    @property
    def length(self) -> float:
        return math.hypot(self.x, self.y)

    @property
    def direction(self) -> float:
        """Degrees counter-clockwise from pointing right."""
        return math.degrees(math.atan2(self.y, self.x))


def heading(degrees: float) -> Vec:
    """The unit vector pointing `degrees` counter-clockwise from pointing right."""
    radians = math.radians(degrees)
    return Vec(math.cos(radians), math.sin(radians))


def distance(a: Vec, b: Vec) -> float:
    return (b - a).length


def angle_at(vertex: Vec, a: Vec, b: Vec) -> float:
    """The angle a-vertex-b in degrees, between 0 and 180."""
    u, v = a - vertex, b - vertex
    cosine = (u.x * v.x + u.y * v.y) / (u.length * v.length)
    return math.degrees(math.acos(max(-1.0, min(1.0, cosine))))


def distance_to_segment(point: Vec, start: Vec, end: Vec) -> float:
    """How far `point` is from the line segment start-end."""
    along = end - start
    span = along.x * along.x + along.y * along.y
    if span == 0:
        return distance(point, start)
    share = ((point.x - start.x) * along.x + (point.y - start.y) * along.y) / span
    return distance(point, start + along * max(0.0, min(1.0, share)))


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def ease_in_out(t: float) -> float:
    """Slow at both ends, like a person moving with care (smoothstep)."""
    return t * t * (3 - 2 * t)
