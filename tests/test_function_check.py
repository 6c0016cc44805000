"""The two-weekly function check: each activity 0-10, and how things are since the start."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from stenosis_coach.outcomes.actions import record_function_check, start_function_tracking
from stenosis_coach.outcomes.models import Activity, FunctionCheck
from stenosis_coach.patients.models import Patient
from tests.patient_pages import logged_in, page, ready, staff_client


@pytest.fixture
def shop_and_cook(alice: Patient) -> list[Activity]:
    """Alice's activities, rated at onboarding (her first check)."""
    start_function_tracking(ready(alice), [("Walking to the shop", 3), ("Standing to cook", 5)])
    return list(alice.activities.all())


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    return logged_in(alice)


def answers(activities: list[Activity], *scores: int, impression: int = 3) -> dict[str, object]:
    data: dict[str, object] = {
        f"activity_{a.pk}": score for a, score in zip(activities, scores, strict=True)
    }
    return {**data, "impression": impression}


def test_the_check_needs_a_login(client: Client, db: None) -> None:
    response = client.get("/progress/check/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_non_patient_account_gets_404(db: None) -> None:
    assert staff_client().get("/progress/check/").status_code == 404


def test_each_activity_gets_big_0_to_10_buttons(
    alice_client: Client, shop_and_cook: list[Activity]
) -> None:
    response = alice_client.get("/progress/check/")
    assert response.status_code == 200
    html = page(response)
    for activity in shop_and_cook:
        assert activity.name in html
        for score in range(11):
            assert f'name="activity_{activity.pk}" value="{score}"' in html
    assert html.count('class="choices scale"') == 2
    # Both ends named on each scale (an activity's 0 is not pain's 0).
    assert html.count("I cannot do it</p>") == 2
    assert html.count("I can do it as well as before</p>") == 2


def test_the_question_about_change_has_7_answers(
    alice_client: Client, shop_and_cook: list[Activity]
) -> None:
    html = page(alice_client.get("/progress/check/"))
    assert "Since you started, how are your legs and back?" in html
    for label in FunctionCheck.Impression.labels:
        assert str(label) in html


def test_answers_are_saved(
    alice_client: Client, alice: Patient, shop_and_cook: list[Activity]
) -> None:
    response = alice_client.post("/progress/check/", answers(shop_and_cook, 6, 4, impression=2))
    assert response.status_code == 302
    assert response["Location"] == "/progress/"
    check = alice.function_checks.latest("taken_at")
    assert check.impression == FunctionCheck.Impression.MUCH_BETTER
    assert {s.activity.name: s.score for s in check.scores.all()} == {
        "Walking to the shop": 6,
        "Standing to cook": 4,
    }
    assert "Thank you. Your answers are saved." in page(alice_client.get("/progress/"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first activity", None, "Please pick a number from 0 to 10."),
        ("first activity", 11, "Please pick a number from 0 to 10."),
        ("first activity", "lots", "Please pick a number from 0 to 10."),
        ("impression", None, "Please pick the answer that fits best."),
        ("impression", 8, "Please pick one of the answers."),
    ],
)
def test_bad_answers_get_a_clear_message_and_nothing_is_saved(
    alice_client: Client,
    alice: Patient,
    shop_and_cook: list[Activity],
    field: str,
    value: object,
    message: str,
) -> None:
    name = f"activity_{shop_and_cook[0].pk}" if field == "first activity" else field
    data = answers(shop_and_cook, 6, 4)
    if value is None:
        del data[name]
    else:
        data[name] = value
    response = alice_client.post("/progress/check/", data)
    assert response.status_code == 400
    assert message in page(response)
    assert alice.function_checks.count() == 1  # only the first check, from onboarding


def test_another_patients_activity_cannot_be_rated(
    alice_client: Client, alice: Patient, shop_and_cook: list[Activity], dave: Patient
) -> None:
    start_function_tracking(dave, [("Gardening", 2)])
    daves = dave.activities.get()
    response = alice_client.post("/progress/check/", {f"activity_{daves.pk}": 9, "impression": 3})
    assert response.status_code == 400
    assert not daves.scores.filter(score=9).exists()
    assert alice.function_checks.count() == 1


def test_the_first_check_does_not_ask_about_change(alice: Patient) -> None:
    Activity.objects.create(patient=ready(alice), name="Walking to the shop", position=1)
    html = page(logged_in(alice).get("/progress/check/"))
    assert "Walking to the shop" in html
    assert "Since you started" not in html


def test_someone_with_no_activities_adds_them_here(alice_client: Client, alice: Patient) -> None:
    ready(alice)
    html = page(alice_client.get("/progress/check/"))
    assert "Things that are hard for you now" in html
    assert 'name="score_1" value="10"' in html  # big buttons, not a drop-down
    data = {
        "activity_1": "Walking to church",
        "score_1": 4,
        "activity_2": "Gardening",
        "score_2": 2,
    }
    response = alice_client.post("/progress/check/", data)
    assert response.status_code == 302
    assert [a.name for a in alice.activities.all()] == ["Walking to church", "Gardening"]
    assert [s.score for s in alice.function_checks.get().scores.all()] == [4, 2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Please write at least one activity."),
        ({"activity_1": "Gardening"}, "Please pick a number from 0 to 10."),
        ({"score_2": 4}, "Please write the thing you find hard."),
    ],
)
def test_adding_activities_needs_a_name_and_a_number(
    alice_client: Client, alice: Patient, data: dict[str, object], message: str
) -> None:
    ready(alice)
    response = alice_client.post("/progress/check/", data)
    assert response.status_code == 400
    assert message in page(response)
    assert not alice.activities.exists()
    assert not alice.function_checks.exists()


# ---------------------------------------------------------------------------------------
# Changing the activities later: the old ones are retired, with their scores


def test_the_check_offers_to_change_the_list(
    alice_client: Client, shop_and_cook: list[Activity]
) -> None:
    html = page(alice_client.get("/progress/check/"))
    assert '<a href="/progress/activities/">Change your list</a>' in html


def test_the_change_page_shows_the_list_now(
    alice_client: Client, shop_and_cook: list[Activity]
) -> None:
    html = page(alice_client.get("/progress/activities/"))
    assert 'name="activity_1" value="Walking to the shop"' in html
    assert 'name="activity_2" value="Standing to cook"' in html
    assert "checked" not in html  # each is rated anew: how it is now


def test_a_changed_activity_keeps_its_scores(
    alice_client: Client, alice: Patient, shop_and_cook: list[Activity]
) -> None:
    shop, cook = shop_and_cook
    alice_client.post("/progress/check/", answers(shop_and_cook, 6, 4, impression=2))
    new_list = {
        "activity_1": "Walking to the shop",
        "score_1": 7,
        "activity_2": "Gardening",
        "score_2": 2,
    }
    response = alice_client.post("/progress/activities/", new_list, follow=True)
    assert response.redirect_chain == [("/progress/", 302)]
    assert "Your new list is saved. Your old answers are kept." in page(response)
    # Standing to cook is retired, with both its scores; the shop goes on as before.
    cook.refresh_from_db()
    assert cook.retired_at is not None
    assert [s.score for s in cook.scores.order_by("pk")] == [5, 4]
    assert [s.score for s in shop.scores.order_by("pk")] == [3, 6, 7]
    assert [a.name for a in alice.activities.active()] == ["Walking to the shop", "Gardening"]
    # A new check asks about the active ones only.
    html = page(alice_client.get("/progress/check/"))
    assert "Gardening" in html
    assert "Standing to cook" not in html
    # Progress still shows the old scores, under the old name.
    progress = page(alice_client.get("/progress/"))
    assert "Standing to cook" in progress


def test_my_data_keeps_a_retired_activitys_scores(
    alice_client: Client, alice: Patient, shop_and_cook: list[Activity]
) -> None:
    alice_client.post("/progress/activities/", {"activity_1": "Gardening", "score_1": 2})
    tables = alice_client.get("/my-data/export.json").json()
    rows = [(row["activity"], row["score"]) for row in tables["function_checks"]]
    assert ("Walking to the shop", 3) in rows
    assert ("Standing to cook", 5) in rows
    assert ("Gardening", 2) in rows
    profile = tables["profile"][0]
    assert profile["activities"] == ["Gardening"]
    assert profile["retired_activities"] == ["Walking to the shop", "Standing to cook"]


def test_a_retired_activity_cannot_be_rated(
    alice_client: Client, alice: Patient, shop_and_cook: list[Activity]
) -> None:
    alice_client.post("/progress/activities/", {"activity_1": "Gardening", "score_1": 2})
    shop = shop_and_cook[0]
    garden = alice.activities.active().get()
    data = {f"activity_{shop.pk}": 9, f"activity_{garden.pk}": 3, "impression": 3}
    alice_client.post("/progress/check/", data)  # the form asks about Gardening alone
    assert not shop.scores.filter(score=9).exists()
    assert garden.scores.filter(score=3).exists()
    with pytest.raises(ValidationError):
        record_function_check(alice, {shop.pk: 9, garden.pk: 3}, impression=3)
    record_function_check(alice, {garden.pk: 4}, impression=3)  # the active ones are all


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Please write at least one activity."),
        ({"activity_1": "Gardening"}, "Please pick a number from 0 to 10."),
        ({"activity_1": "Gardening", "score_1": 11}, "Please pick a number from 0 to 10."),
    ],
)
def test_a_bad_new_list_changes_nothing(
    alice_client: Client,
    alice: Patient,
    shop_and_cook: list[Activity],
    data: dict[str, object],
    message: str,
) -> None:
    response = alice_client.post("/progress/activities/", data)
    assert response.status_code == 400
    assert message in page(response)
    assert list(alice.activities.active()) == shop_and_cook
    assert alice.function_checks.count() == 1


def test_the_change_page_waits_for_onboarding(alice: Patient) -> None:
    assert logged_in(alice).get("/progress/activities/")["Location"] == "/onboarding/"


def test_one_active_activity_per_slot(alice: Patient, shop_and_cook: list[Activity]) -> None:
    """A retired activity gives up its slot; two active ones cannot share one."""
    shop = shop_and_cook[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(patient=alice, name="Again", position=shop.position)
    shop.retired_at = timezone.now()
    shop.save()
    Activity.objects.create(patient=alice, name="In its place", position=shop.position)
