"""Reading the pose tables from the catalogue, and refusing the ones that cannot be drawn."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from stenosis_coach.illustrations.keyframes import IllustrationError, parse_illustrations
from stenosis_coach.illustrations.pose import Pose, PoseError, Rest, blend
from stenosis_coach.programme.catalogue import parse_catalogue, read_data

from .helpers import ILLUSTRATIONS

RAW = read_data("catalogue.toml")


def raw_poses(exercise_id: str = "pelvic-tilt") -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    return next(item for item in data["exercises"] if item["id"] == exercise_id)["poses"]


def parse_with(exercise_id: str, poses: dict[str, Any]) -> None:
    parse_illustrations({"exercises": [{"id": exercise_id, "poses": poses}]})


def test_the_engine_reads_the_catalogue_with_the_pose_tables_in_it() -> None:
    assert all("poses" in item for item in RAW["exercises"])
    assert len(parse_catalogue(RAW).exercises) == len(ILLUSTRATIONS)


def test_keyframes_come_start_first_in_catalogue_order() -> None:
    assert list(ILLUSTRATIONS["hook-lying-march"].keyframes) == ["start", "left", "right"]
    assert list(ILLUSTRATIONS["curl-up"].keyframes) == ["start", "end"]


def test_an_exercise_without_a_start_pose_is_refused() -> None:
    poses = raw_poses()
    del poses["start"]
    with pytest.raises(IllustrationError, match="start"):
        parse_with("pelvic-tilt", poses)


def test_a_keyframe_must_be_named_after_a_plan_phase() -> None:
    poses = raw_poses()
    poses["middle"] = poses["end"]
    with pytest.raises(IllustrationError, match="middle"):
        parse_with("pelvic-tilt", poses)


@pytest.mark.parametrize(
    ("table", "change"),
    [
        ("trunk", {"pelvis": None}),
        ("near", {"toe": 10}),
        ("far", {"knee": None}),
    ],
)
def test_every_angle_and_only_known_angles(table: str, change: dict[str, Any]) -> None:
    poses = raw_poses()
    angles = poses["end"][table]
    for name, value in change.items():
        if value is None:
            del angles[name]
        else:
            angles[name] = value
    with pytest.raises(IllustrationError, match=table):
        parse_with("pelvic-tilt", poses)


def test_an_unknown_rest_is_refused() -> None:
    poses = raw_poses()
    poses["end"]["rest"] = "standing on one leg"
    with pytest.raises(IllustrationError, match=r"pelvic-tilt\.end"):
        parse_with("pelvic-tilt", poses)


def test_an_arrow_must_name_a_joint_the_body_has() -> None:
    poses = raw_poses()
    poses["start"]["arrows"][0]["joint"] = "tail"
    with pytest.raises(IllustrationError, match="tail"):
        parse_with("pelvic-tilt", poses)


def test_an_arrow_must_follow_keyframes_the_exercise_has() -> None:
    poses = raw_poses("back-flexion")
    poses["start"]["arrows"][0]["to"] = "left"
    with pytest.raises(IllustrationError, match="missing keyframe"):
        parse_with("back-flexion", poses)


def test_every_keyframe_needs_english_words() -> None:
    poses = raw_poses()
    poses["end"]["text"] = {"es": poses["end"]["text"]["en"]}
    with pytest.raises(IllustrationError, match="English"):
        parse_with("pelvic-tilt", poses)


def test_spanish_words_come_from_the_spanish_catalogue() -> None:
    keyframe = ILLUSTRATIONS["curl-up"].keyframes["end"]
    assert keyframe.text("es-MX").title == "Abdominal corto: quieto"
    assert keyframe.text("es-MX") == keyframe.text("es")


def test_other_languages_fall_back_to_english() -> None:
    keyframe = ILLUSTRATIONS["curl-up"].keyframes["end"]
    assert keyframe.text("fr") == keyframe.text("en")


def test_a_pose_needs_every_angle() -> None:
    with pytest.raises(PoseError, match="pelvis"):
        Pose(Rest.BACK, {})


def test_blending_runs_from_one_pose_to_the_other() -> None:
    start = ILLUSTRATIONS["childs-pose"].start.pose
    end = ILLUSTRATIONS["childs-pose"].keyframes["end"].pose
    assert blend(start, end, 0) == start
    assert blend(start, end, 1) == end
    halfway = blend(start, end, 0.5)
    assert halfway.rest is end.rest
    assert halfway.angles["near.hip"] == pytest.approx(
        (start.angles["near.hip"] + end.angles["near.hip"]) / 2
    )
