"""Exercise illustrations drawn from a body model: pure Python, no Django.

A side-view figure of rigid bones (body.py) takes poses from the catalogue (keyframes.py);
forward kinematics places every joint (kinematics.py); poses blend by their angles, never
their points (pose.py), into the frames the player steps through (animation.py); svg.py
draws them, and player_data.py hands them to the browser as JSON.
"""

from .keyframes import Illustration, IllustrationError, load_illustrations
from .pictures import keyframe_svgs
from .player_data import animation_data

__all__ = [
    "Illustration",
    "IllustrationError",
    "animation_data",
    "keyframe_svgs",
    "load_illustrations",
]
