"""Exercise illustrations drawn from a body model: pure Python, no Django.

A side-view figure of rigid bones (body.py) takes poses from the catalogue (keyframes.py);
forward kinematics places every joint (kinematics.py); poses blend by their angles, never
their points (pose.py), into the frames the player steps through (animation.py); svg.py
draws them, and player_data.py hands them to the browser as JSON. The how-to pictures
(getting down to the floor and up, resting: moves.py) are drawn the same way.
"""

from .keyframes import Illustration, IllustrationError, load_illustrations
from .moves import HowTo, how_to_ids, load_how_tos
from .pictures import drawing_ids, keyframe_svgs
from .player_data import animation_data

__all__ = [
    "HowTo",
    "Illustration",
    "IllustrationError",
    "animation_data",
    "drawing_ids",
    "how_to_ids",
    "keyframe_svgs",
    "load_how_tos",
    "load_illustrations",
]
