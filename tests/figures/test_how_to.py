"""The how-to pictures (getting down to the floor and up again, resting): served like an
exercise's pictures, their stages in order, each body resting as it should, holding the chair
where the chair is, and their words plain in English and Spanish."""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from stenosis_coach.illustrations import animation_data, how_to_ids, keyframe_svgs
from stenosis_coach.illustrations.body import BONES, BONES_BY_NAME, Shape
from stenosis_coach.illustrations.geometry import Vec, distance_to_segment
from stenosis_coach.illustrations.keyframes import IllustrationError
from stenosis_coach.illustrations.kinematics import Figure
from stenosis_coach.illustrations.moves import parse_how_tos, read_moves
from stenosis_coach.illustrations.props import SEAT_HEIGHT, Chair
from stenosis_coach.illustrations.stage import PARTS
from stenosis_coach.illustrations.svg import SVG_NS
from tests.test_medical_words import CLINICAL, mentions
from tests.test_plain_language import GATES

from .helpers import (
    HOW_TO_IDS,
    HOW_TOS,
    ILLUSTRATIONS,
    ON_MAT,
    crossing,
    from_level,
    knee_flexion,
    on_mat,
)
from .test_recognisable import assert_lying_with_knees_bent_and_feet_flat

NS = {"svg": SVG_NS}
DATA = {how_to: animation_data(how_to) for how_to in HOW_TO_IDS}
SIDES = ("near", "far")
STAGES = {
    "get-down": ("stand", "one-knee", "hands-and-knees", "side", "back"),
    "get-up": ("side", "hands-and-knees", "one-knee", "stand"),
    "rest-lying": ("back",),
    "rest-sitting": ("sit",),
}
WITH_CHAIR = [
    pytest.param(how_to, name, id=f"{how_to}-{name}")
    for how_to, item in HOW_TOS.items()
    for name, keyframe in item.illustration.keyframes.items()
    if keyframe.with_chair
]


def stage(how_to: str, name: str) -> Figure:
    return HOW_TOS[how_to].illustration.keyframes[name].figure()


def chair_of(how_to: str) -> Chair:
    chair = HOW_TOS[how_to].illustration.chair
    assert chair is not None
    return chair


def segments_apart(first: tuple[Vec, Vec], second: tuple[Vec, Vec]) -> float:
    """How far apart two line segments are (0 when they cross)."""
    if crossing(first, second) is not None:
        return 0.0
    return min(
        *(distance_to_segment(point, *second) for point in first),
        *(distance_to_segment(point, *first) for point in second),
    )


def test_there_is_a_picture_for_getting_down_getting_up_and_each_rest() -> None:
    assert how_to_ids() == ("get-down", "get-up", "rest-lying", "rest-sitting")
    assert {how_to: item.stages for how_to, item in HOW_TOS.items()} == STAGES


class TestTheJson:
    """The same shape as an exercise's, so that the player and the pictures page need
    nothing new; the stages are the keyframes, in order."""

    @pytest.mark.parametrize("how_to", HOW_TO_IDS)
    def test_it_has_every_key_an_exercises_picture_has(self, how_to: str) -> None:
        data = DATA[how_to]
        assert set(animation_data("curl-up")) <= set(data)
        assert set(animation_data("curl-up")["still"]) <= set(data["still"])
        assert json.loads(json.dumps(data)) == data
        assert data["exercise"] == how_to
        assert data["kind"] == "how-to"
        assert data["parts"] == list(PARTS)

    @pytest.mark.parametrize("how_to", HOW_TO_IDS)
    def test_each_stage_is_a_phase_of_its_own_frame_in_order(self, how_to: str) -> None:
        data = DATA[how_to]
        stages = list(STAGES[how_to])
        assert list(data["keyframes"]) == stages
        assert [data["keyframes"][name]["frame"] for name in stages] == list(range(len(stages)))
        assert data["phases"]["start"] == [0]
        assert all(data["phases"][name] == [index] for index, name in enumerate(stages))
        assert len(data["frames"]) == len(stages)
        assert all(len(frame) == len(PARTS) for frame in data["frames"])
        assert [item["phase"] for item in data["demo"]] == stages

    @pytest.mark.parametrize("how_to", HOW_TO_IDS)
    def test_the_still_picture_shows_every_stage_in_order_and_numbered(self, how_to: str) -> None:
        still = DATA[how_to]["still"]
        stages = list(STAGES[how_to])
        assert still["keyframes"] == stages
        assert still["phases"]["start"] == stages[0]
        root = ET.fromstring(still["svg"])
        panels = [group.attrib["data-keyframe"] for group in root.iter(f"{{{SVG_NS}}}g")
                  if "data-keyframe" in group.attrib]  # fmt: skip
        assert panels == stages
        numbers = [text.text for text in root.iter(f"{{{SVG_NS}}}text")]
        assert numbers == ([str(n) for n in range(1, len(stages) + 1)] if len(stages) > 1 else [])

    @pytest.mark.parametrize("how_to", HOW_TO_IDS)
    def test_the_still_picture_fits_a_phone_held_upright(self, how_to: str) -> None:
        """Not a long strip of tiny figures, not a tall picture that pushes the words away:
        at 320 px wide, the rows of stages are 100 to 230 px high."""
        _, _, width, height = map(float, ET.fromstring(DATA[how_to]["still"]["svg"])
                                  .attrib["viewBox"].split())  # fmt: skip
        assert 100 <= 320 * height / width <= 230

    @pytest.mark.parametrize("how_to", HOW_TO_IDS)
    @pytest.mark.parametrize("language", ["en", "es"])
    def test_its_words_are_in_the_language_asked(self, how_to: str, language: str) -> None:
        data = animation_data(how_to, language)
        words = HOW_TOS[how_to].text(language)
        assert (data["title"], data["description"]) == (words.title, words.description)
        root = ET.fromstring(data["still"]["svg"])
        assert root.findtext("svg:title", namespaces=NS) == words.title
        assert root.findtext("svg:desc", namespaces=NS) == words.description


def every_svg() -> list[Any]:
    found = []
    for how_to in HOW_TO_IDS:
        for name, svg in keyframe_svgs(how_to).items():
            found.append(pytest.param(svg, id=f"{how_to}-{name}"))
        found.append(pytest.param(DATA[how_to]["scene"], id=f"{how_to}-scene"))
        found.append(pytest.param(DATA[how_to]["still"]["svg"], id=f"{how_to}-still"))
    return found


@pytest.mark.parametrize("svg", every_svg())
def test_everything_drawn_is_inside_the_picture(svg: str) -> None:
    root = ET.fromstring(svg)
    _, _, width, height = (float(value) for value in root.attrib["viewBox"].split())
    assert root.findtext("svg:title", namespaces=NS)
    assert root.findtext("svg:desc", namespaces=NS)
    boxes = []
    for element in root.iter(f"{{{SVG_NS}}}line"):
        reach = float(element.attrib.get("stroke-width", "0")) / 2
        for end in "12":
            boxes.append(
                (float(element.attrib[f"x{end}"]), float(element.attrib[f"y{end}"]), reach)
            )
    for element in root.iter(f"{{{SVG_NS}}}circle"):
        boxes.append(
            (float(element.attrib["cx"]), float(element.attrib["cy"]), float(element.attrib["r"]))
        )
    for x, y, reach in boxes:
        assert x - reach >= -0.5
        assert x + reach <= width + 0.5
        assert y - reach >= -0.5
        assert y + reach <= height + 0.5


class TestTheBody:
    """What each new rest looks like, measured from where the joints are."""

    @pytest.mark.parametrize("how_to", ["get-down", "get-up"])
    def test_standing_upright_on_both_feet(self, how_to: str) -> None:
        figure = stage(how_to, "stand")
        joints = figure.joints
        assert abs(joints["shoulder"].x - joints["hip"].x) <= 12
        assert 160 <= joints["head"].y + BONES_BY_NAME["head"].radius <= 180  # about 172 cm
        for side in SIDES:
            assert on_mat(figure, f"{side}.ankle")
            assert on_mat(figure, f"{side}.toes")

    @pytest.mark.parametrize("how_to", ["get-down", "get-up"])
    def test_down_on_one_knee_with_the_other_foot_flat_in_front(self, how_to: str) -> None:
        figure = stage(how_to, "one-knee")
        joints = figure.joints
        assert on_mat(figure, "far.knee")
        assert abs(joints["hip"].x - joints["far.knee"].x) <= 8  # the hip above that knee
        assert on_mat(figure, "near.ankle")
        assert on_mat(figure, "near.toes")
        assert joints["near.knee"].x > joints["hip"].x + 30  # the near foot forward
        assert from_level(joints["hip"], joints["near.knee"]) <= 15  # thigh about level
        assert from_level(joints["near.knee"], joints["near.ankle"]) >= 75  # shin upright

    @pytest.mark.parametrize("how_to", ["get-down", "get-up"])
    def test_on_one_side_leaning_on_the_elbow(self, how_to: str) -> None:
        figure = stage(how_to, "side")
        assert on_mat(figure, "hip")
        assert on_mat(figure, "far.elbow")
        assert on_mat(figure, "far.wrist")  # the forearm on the mat
        assert 15 <= figure.joint_clearance("shoulder") <= 40
        for side in SIDES:
            assert knee_flexion(figure, side) >= 60

    @pytest.mark.parametrize(("how_to", "name"), [("get-down", "back"), ("rest-lying", "back")])
    def test_lying_on_the_back_with_the_knees_bent(self, how_to: str, name: str) -> None:
        assert_lying_with_knees_bent_and_feet_flat(stage(how_to, name))

    def test_sitting_on_the_chair_leaning_forward_forearms_on_the_thighs(self) -> None:
        figure = stage("rest-sitting", "sit")
        joints = figure.joints
        front, back = chair_of("rest-sitting").seat()
        assert min(front.x, back.x) < joints["hip"].x < max(front.x, back.x)
        assert figure.joint_clearance("hip") == pytest.approx(SEAT_HEIGHT)
        assert joints["shoulder"].x - joints["hip"].x >= 15  # leaning forward
        for side in SIDES:
            assert on_mat(figure, f"{side}.ankle")
            assert on_mat(figure, f"{side}.toes")
            assert from_level(joints["hip"], joints[f"{side}.knee"]) <= 20
            thigh = figure.ends(f"{side}.thigh")
            reach = BONES_BY_NAME[f"{side}.thigh"].radius + BONES_BY_NAME[f"{side}.forearm"].radius
            assert distance_to_segment(joints[f"{side}.elbow"], *thigh) <= reach + 2
            assert distance_to_segment(joints[f"{side}.wrist"], *thigh) <= reach + 6

    @pytest.mark.parametrize(("how_to", "name"), WITH_CHAIR)
    def test_nothing_of_the_body_goes_through_the_chair(self, how_to: str, name: str) -> None:
        """Hands may hold it; the rest of the body sits on it or stands beside it."""
        figure = stage(how_to, name)
        for bone in BONES:
            if bone.name.endswith("hand"):
                continue
            if bone.shape is Shape.BALL:
                ends = (figure.joints[bone.end], figure.joints[bone.end])
            else:
                ends = figure.ends(bone)
            for start, end, radius in chair_of(how_to).rails():
                gap = segments_apart(ends, (start, end))
                assert gap >= bone.radius + radius - 1, (bone.name, start, end)  # soft on hard

    @pytest.mark.parametrize("how_to", ["get-down", "get-up"])
    @pytest.mark.parametrize("name", ["stand", "one-knee"])
    def test_the_hands_hold_the_back_of_the_chair(self, how_to: str, name: str) -> None:
        figure = stage(how_to, name)
        chair = chair_of(how_to)
        back = chair.rails()[1]
        for side in SIDES:
            hand = figure.ends(f"{side}.hand")
            reach = BONES_BY_NAME[f"{side}.hand"].radius + back[2]
            assert segments_apart(hand, back[:2]) <= reach + 1.5, side

    def test_getting_down_and_up_happen_beside_the_chair_not_on_it(self) -> None:
        for how_to in ("get-down", "get-up"):
            chair = chair_of(how_to)
            for keyframe in HOW_TOS[how_to].illustration.keyframes.values():
                toes = keyframe.figure().joints["near.toes"]
                assert toes.x < min(chair.back, chair.front) - 2  # feet and mat before it

    def test_on_the_floor_the_body_rests_on_the_mat_not_in_the_air(self) -> None:
        for how_to, item in HOW_TOS.items():
            for name, keyframe in item.illustration.keyframes.items():
                figure = keyframe.figure()
                assert figure.lowest >= -1e-6, (how_to, name)
                assert min(figure.joint_clearance(joint)
                           for joint in keyframe.pose.support.contacts) <= ON_MAT  # fmt: skip


class TestTheWords:
    @staticmethod
    def texts(language: str) -> list[str]:
        """The how-to pictures' words, and every exercise picture's too."""
        found = [
            text
            for illustration in ILLUSTRATIONS.values()
            for keyframe in illustration.keyframes.values()
            for text in (keyframe.text(language).title, keyframe.text(language).description)
        ]
        for item in HOW_TOS.values():
            words = item.text(language)
            found += [words.title, words.description]
            for keyframe in item.illustration.keyframes.values():
                text = keyframe.text(language)
                found += [text.title, text.description]
        return found

    def test_every_word_is_in_spanish_too(self) -> None:
        for item in HOW_TOS.values():
            assert set(item.texts) == {"en", "es"}
            assert item.text("es") != item.text("en")
            for keyframe in item.illustration.keyframes.values():
                assert set(keyframe.texts) == {"en", "es"}
                assert keyframe.text("es") != keyframe.text("en")

    @pytest.mark.parametrize("language", ["en", "es"])
    def test_the_words_are_plain(self, language: str) -> None:
        gate = GATES[language]
        for text in self.texts(language):
            if len(text.split()) > 3:  # a label is too short for a formula (tests/texts.py)
                assert gate.passes(gate.score(text)), (text, gate.score(text))
            assert len(text) <= 400

    @pytest.mark.parametrize("language", ["en", "es"])
    def test_no_clinical_words(self, language: str) -> None:
        for text in self.texts(language):
            assert not [word for word in CLINICAL[language] if mentions(text, word)], text

    def test_the_numbered_words_follow_the_numbered_stages(self) -> None:
        for how_to in ("get-down", "get-up"):
            for language in ("en", "es"):
                item = HOW_TOS[how_to]
                steps = re.findall(r"(\d+)\. ", item.text(language).description)
                assert steps == [str(n) for n in range(1, len(item.stages) + 1)]
                titles = [keyframe.text(language).title
                          for keyframe in item.illustration.keyframes.values()]  # fmt: skip
                assert [title.split(".")[0] for title in titles] == steps


class TestTheData:
    """Pose data that cannot be drawn is refused, with where it is."""

    @staticmethod
    def data() -> dict[str, Any]:
        return copy.deepcopy(read_moves())

    def test_the_shipped_file_parses(self) -> None:
        assert tuple(parse_how_tos(self.data())) == HOW_TO_IDS

    def test_a_stage_must_name_a_pose_there_is(self) -> None:
        data = self.data()
        data["moves"][0]["stages"][0]["pose"] = "handstand"
        with pytest.raises(IllustrationError, match="handstand"):
            parse_how_tos(data)

    def test_a_stage_cannot_show_a_chair_where_there_is_none(self) -> None:
        data = self.data()
        rest = next(move for move in data["moves"] if move["id"] == "rest-lying")
        rest["stages"][0]["chair"] = True
        with pytest.raises(IllustrationError, match="chair"):
            parse_how_tos(data)

    def test_a_how_to_picture_needs_english_words(self) -> None:
        data = self.data()
        del data["moves"][0]["text"]["en"]
        with pytest.raises(IllustrationError, match="English"):
            parse_how_tos(data)

    def test_a_stage_comes_once(self) -> None:
        data = self.data()
        data["moves"][0]["stages"].append(copy.deepcopy(data["moves"][0]["stages"][0]))
        with pytest.raises(IllustrationError, match="again"):
            parse_how_tos(data)

    def test_an_unknown_rest_is_refused(self) -> None:
        data = self.data()
        data["poses"]["stand"]["rest"] = "floating"
        with pytest.raises(IllustrationError, match=r"get-down\.stand"):
            parse_how_tos(data)
