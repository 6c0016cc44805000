"""History: every session, newest first, and each session in detail."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.history_views import SESSIONS_PER_PAGE, done_words
from tests.patient_pages import do_session, logged_in, many_sessions, page, ready, staff_client

HURT = {"back-flexion": {"completed": False, "stop_reason": "leg-pain", "reps_done": 2}}
SKIPPED = {"curl-up": {"completed": False, "stop_reason": "skipped", "reps_done": 0}}


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    return logged_in(ready(alice))


def test_history_needs_a_login(client: Client, alice: Patient) -> None:
    session = do_session(alice)
    for url in ("/history/", f"/history/{session.uuid}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_a_non_patient_account_gets_404(alice: Patient) -> None:
    session = do_session(alice)
    client = staff_client()
    assert client.get("/history/").status_code == 404
    assert client.get(f"/history/{session.uuid}/").status_code == 404


def test_another_patients_session_is_404(alice: Patient, dave: Patient) -> None:
    session = do_session(alice)
    assert logged_in(ready(dave)).get(f"/history/{session.uuid}/").status_code == 404


def test_an_unknown_session_is_404(alice_client: Client) -> None:
    assert alice_client.get(f"/history/{uuid.uuid4()}/").status_code == 404
    assert alice_client.get("/history/not-a-uuid/").status_code == 404


def test_with_no_sessions_it_says_so(alice_client: Client) -> None:
    html = page(alice_client.get("/history/"))
    assert "You have not done a session yet." in html


def test_sessions_are_listed_newest_first_with_links(alice_client: Client, alice: Patient) -> None:
    older = do_session(alice, days_ago=2)
    newer = do_session(alice, days_ago=0)
    response = alice_client.get("/history/")
    assert response.status_code == 200
    html = page(response)
    assert html.index(f"/history/{newer.uuid}/") < html.index(f"/history/{older.uuid}/")


def test_each_session_shows_its_exercises_lights_and_pain(
    alice_client: Client, alice: Patient
) -> None:
    do_session(alice, leg_before=4, leg_after=4)
    html = page(alice_client.get("/history/"))
    assert "Knees to chest" in html
    assert "Curl-up" in html
    assert "Leg pain: 4 before, 4 after." in html
    assert "Back pain: 2 before, 2 after." in html
    assert html.count('class="light light-green"') == 4  # the march is not open yet
    assert html.count("Green") >= 4


def test_a_light_is_a_word_and_a_shape_not_a_colour(alice_client: Client, alice: Patient) -> None:
    do_session(alice, overrides=HURT)
    html = page(alice_client.get("/history/"))
    red = html[html.index('class="light light-red"') :]
    red = red[: red.index("</span>")]
    assert "Red" in red
    assert "<svg" in red
    assert 'aria-hidden="true"' in red  # the word is what screen readers get


def test_the_detail_says_what_happened_and_why(alice_client: Client, alice: Patient) -> None:
    session = do_session(alice, leg_before=3, leg_after=5, overrides={**HURT, **SKIPPED})
    response = alice_client.get(f"/history/{session.uuid}/")
    assert response.status_code == 200
    html = page(response)
    assert "4 times, hold 10 seconds" in html  # the dose
    assert "Stopped: your leg pain got worse" in html
    assert "It hurt, or it made your leg pain worse." in html
    assert "Skipped" in html
    assert "You did not finish it." in html
    # The rest were finished, but leg pain rose by 2: amber.
    assert "Your leg pain went up by 2 or more points in this session." in html
    assert "Leg pain: 3 before, 5 after." in html


def test_pain_higher_next_time_turns_the_session_before_amber(
    alice_client: Client, alice: Patient
) -> None:
    first = do_session(alice, days_ago=1, leg_before=2, leg_after=2)
    do_session(alice, days_ago=0, leg_before=4, leg_after=4)
    html = page(alice_client.get(f"/history/{first.uuid}/"))
    assert "Your leg pain was higher at the start of your next session." in html
    assert "Amber" in html


def test_a_session_without_pain_after_says_only_before(
    alice_client: Client, alice: Patient
) -> None:
    session = do_session(alice, leg_before=5, leg_after=None)
    html = page(alice_client.get(f"/history/{session.uuid}/"))
    assert "Leg pain: 5 before." in html


def test_a_long_history_comes_in_pages(alice_client: Client, alice: Patient) -> None:
    sessions = [do_session(alice, days_ago=30 - n) for n in range(SESSIONS_PER_PAGE + 1)]
    first_page = page(alice_client.get("/history/"))
    assert f"/history/{sessions[-1].uuid}/" in first_page
    assert f"/history/{sessions[0].uuid}/" not in first_page
    assert "Older sessions" in first_page
    second_page = page(alice_client.get("/history/?page=2"))
    assert f"/history/{sessions[0].uuid}/" in second_page
    assert "Newer sessions" in second_page


@pytest.mark.parametrize("bad_page", ["0", "-1", "abc", "999"])
def test_a_bad_page_number_still_shows_a_page(
    alice_client: Client, alice: Patient, bad_page: str
) -> None:
    do_session(alice)
    assert alice_client.get(f"/history/?page={bad_page}").status_code == 200


def test_the_detail_says_how_much_was_done(alice_client: Client, alice: Patient) -> None:
    """A pelvic tilt stopped at rep 3 of 8 says "3 of 8 reps"; a finished one its whole dose."""
    stopped = {"completed": False, "stop_reason": "skipped", "reps_done": 3, "sets_done": 0}
    session = do_session(alice, overrides={"pelvic-tilt": stopped})
    html = page(alice_client.get(f"/history/{session.uuid}/"))
    facts = {
        name: section.split("</dl>")[0]
        for name, section in (
            (part.split("</h2>")[0], part) for part in html.split('<h2 id="result-')[1:]
        )
    }
    tilt = next(v for k, v in facts.items() if k.endswith("Pelvic tilt"))
    knees = next(v for k, v in facts.items() if k.endswith("Knees to chest"))
    assert "<dt>What you did</dt><dd>3 of 8 reps</dd>" in tilt
    assert "<dt>What you did</dt><dd>4 of 4 reps</dd>" in knees


def test_the_detail_in_spanish_says_veces(alice: Patient) -> None:
    stopped = {"completed": False, "stop_reason": "skipped", "reps_done": 3, "sets_done": 0}
    session = do_session(alice, overrides={"pelvic-tilt": stopped})
    alice.language = "es"
    ready(alice).save(update_fields=["language"])
    with translation.override("es"):
        html = page(logged_in(alice).get(f"/history/{session.uuid}/"))
    assert "<dt>Lo que hizo</dt><dd>3 de 8 veces</dd>" in html


def test_done_words_count_sets_when_there_are_several(alice: Patient) -> None:
    session = do_session(alice)
    result = session.results.get(exercise_id="curl-up")
    result.reps, result.sets, result.last_set_reps, result.set_break_seconds = 10, 2, 5, 30
    result.completed, result.reps_done, result.sets_done = False, 12, 1
    assert done_words(result) == "12 of 15 reps, 1 of 2 sets"
    result.reps, result.hold_seconds, result.last_set_reps, result.work_seconds = (
        None, None, None, 30,
    )  # fmt: skip
    assert done_words(result) == "1 of 2 sets"  # timed work, such as the march


def history_reads(client: Client, url: str = "/history/") -> tuple[str, list[str]]:
    """The page, and the SQL of each query it made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return page(response), [query["sql"] for query in queries.captured_queries]


def longest_id_list(queries: list[str]) -> int:
    """The most ids any one query asks for by `IN (...)`: a prefetch for every session of
    the history asks for them all, one for a page only for the page's."""
    lists = [
        group.count(",") + 1 for sql in queries for group in re.findall(r" IN \(([^)]*)\)", sql)
    ]
    return max(lists, default=0)


def session_links(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/history/([0-9a-f-]+)/">', html)


def test_a_page_costs_the_same_with_25_or_300_sessions(alice: Patient, dave: Patient) -> None:
    """20 sessions a page, read a page at a time: the same queries, none of them asking for
    more than a page of sessions, whatever the length of the history."""
    many_sessions(ready(alice), 25)
    many_sessions(ready(dave), 300)
    short_html, short = history_reads(logged_in(alice))
    long_html, long = history_reads(logged_in(dave))
    assert len(session_links(short_html)) == len(session_links(long_html)) == SESSIONS_PER_PAGE
    assert len(short) == len(long)
    assert longest_id_list(long) <= SESSIONS_PER_PAGE
    assert any(f"LIMIT {SESSIONS_PER_PAGE}" in sql for sql in long)


def test_page_2_has_the_next_20_sessions_newest_first(alice: Patient) -> None:
    sessions = many_sessions(ready(alice), 45)  # oldest first
    client = logged_in(alice)
    html, _queries = history_reads(client, "/history/?page=2")
    assert session_links(html) == [str(s.uuid) for s in reversed(sessions[5:25])]
    assert "Newer sessions" in html
    assert 'href="?page=3"' in html
    last, _queries = history_reads(client, "/history/?page=3")
    assert session_links(last) == [str(s.uuid) for s in reversed(sessions[:5])]
    assert "Older sessions" not in last


@pytest.mark.parametrize(("asked", "shown"), [("999", 3), ("abc", 1), ("0", 3), ("", 1)])
def test_a_page_out_of_range_or_not_a_number_shows_the_last_or_first(
    alice: Patient, asked: str, shown: int
) -> None:
    """As Django's Paginator.get_page does: past the end (or 0) gives the last page, not a
    number gives the first."""
    sessions = many_sessions(ready(alice), 45)
    pages = {1: sessions[25:], 3: sessions[:5]}
    html, _queries = history_reads(logged_in(alice), f"/history/?page={asked}")
    assert session_links(html) == [str(s.uuid) for s in reversed(pages[shown])]
