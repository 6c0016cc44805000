"""Progress: pain, timed walks, days exercised, function scores and doses, each drawn on the
server with words and a table; and the chart helpers underneath."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stenosis_coach.outcomes.actions import (
    record_function_check,
    record_pain_checkin,
    record_walking_test,
    start_function_tracking,
)
from stenosis_coach.outcomes.charts import (
    Series,
    Table,
    change_sentence,
    nice_ceiling,
    number,
    session_calendar,
    time_chart,
    walk_time,
)
from stenosis_coach.outcomes.models import PainCheckIn, WalkingTest
from stenosis_coach.outcomes.progress import DONE_SECONDS, PLANNED_SECONDS, daily_from
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.history import seconds_done
from stenosis_coach.practice.models import ExerciseResult
from tests.patient_pages import do_session, logged_in, many_sessions, page, ready, staff_client


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    return logged_in(ready(alice))


def progress_page(client: Client) -> str:
    """Progress as a reader sees it with every "See the numbers" opened: numbers.js puts each
    chart's tables, fetched from its data-numbers address, in place of the link."""
    html = page(client.get("/progress/"))

    def opened(match: re.Match[str]) -> str:
        response = client.get(match["url"], {"part": "tables"})
        assert response.status_code == 200
        return f"{match['details']}{page(response)}</div>"

    return LAZY_NUMBERS.sub(opened, html)


LAZY_NUMBERS = re.compile(
    r'(?P<details><details class="chart-numbers" data-numbers="(?P<url>[^"]+)".*?'
    r'<div class="numbers-body">).*?</div>',
    re.S,
)


def section(html: str, heading_id: str) -> str:
    """The part of the page from one section's heading to the next section."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return html[start:] if end == -1 else html[start:end]


def table_rows(html: str) -> list[list[str]]:
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
    ]


def test_progress_needs_a_login(client: Client, db: None) -> None:
    response = client.get("/progress/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_non_patient_account_gets_404(db: None) -> None:
    assert staff_client().get("/progress/").status_code == 404


def test_progress_waits_for_onboarding(alice: Patient) -> None:
    assert logged_in(alice).get("/progress/")["Location"] == "/onboarding/"


def test_with_no_data_yet_each_part_says_what_to_do(alice_client: Client) -> None:
    response = alice_client.get("/progress/")
    assert response.status_code == 200
    html = page(response)
    assert "Do your first session to see your pain here." in html
    assert "Do your first timed walk to see it here." in html
    assert "Do your first session to see your days here." in html
    assert 'class="calendar"' not in html
    assert "Pick the things that are hard for you." in html
    assert "<svg" not in section(html, "pain-title")


def test_pain_before_each_session_is_charted(alice_client: Client, alice: Patient) -> None:
    do_session(alice, days_ago=3, leg_before=6, leg_after=6)
    do_session(alice, days_ago=1, leg_before=4, leg_after=9)  # after a session: left out
    pain = section(progress_page(alice_client), "pain-title")
    assert "Your leg pain went from 6 to 4. Your back pain stayed at 2." in pain
    assert 'role="img"' in pain
    assert '<title id="chart-pain-title">Pain in your leg and back</title>' in pain
    assert pain.count('class="marker"') == 4 + 2  # 2 days x 2 lines, and 2 in the legend
    rows = table_rows(pain)
    assert rows[0] == ["Date", "Leg pain", "Back pain"]
    assert [row[1:] for row in rows[1:]] == [["6", "2"], ["4", "2"]]
    assert "9" not in [row[1] for row in rows[1:]]


def test_pain_on_its_own_counts_too_and_a_day_is_averaged(
    alice_client: Client, alice: Patient
) -> None:
    record_pain_checkin(alice, leg_pain=5, back_pain=1)
    record_pain_checkin(alice, leg_pain=4, back_pain=2)
    pain = section(progress_page(alice_client), "pain-title")
    assert table_rows(pain)[1][1:] == ["4.5", "1.5"]
    assert "Your leg pain was 4.5." in pain


def test_the_lines_differ_by_more_than_colour(alice_client: Client, alice: Patient) -> None:
    do_session(alice, days_ago=1)
    pain = section(progress_page(alice_client), "pain-title")
    assert 'class="series series-1"' in pain
    assert 'class="series series-2"' in pain
    assert 'stroke-dasharray="10 6"' in pain  # back pain is dashed
    assert '<ul class="legend">' in pain


def test_timed_walks_are_charted(alice_client: Client, alice: Patient, dave: Patient) -> None:
    record_walking_test(alice, minutes=Decimal(8), stopped_by_symptoms=True)
    record_walking_test(alice, minutes=Decimal("14.5"), stopped_by_symptoms=True)
    record_walking_test(dave, minutes=Decimal(22), stopped_by_symptoms=True)
    walks = section(progress_page(alice_client), "walk-title")
    assert "Your timed walk went from 8 min to 14 min 30 s." in walks
    rows = table_rows(walks)
    assert rows[0] == ["Date", "Time walked", "How it ended"]
    assert [row[1:] for row in rows[1:]] == [
        ["8 min", "Your leg made you stop"],
        ["14 min 30 s", "Your leg made you stop"],
    ]


def test_a_walk_shows_the_seconds_the_clock_showed(alice_client: Client, alice: Patient) -> None:
    """7:17 on the clock is 7 min 17 s in the sentence, the table and the tooltip, never
    7.2 or 7 min 12 s."""
    alice_client.post("/walk/", {"seconds": "437", "stopped_by_symptoms": "yes"})
    walks = section(progress_page(alice_client), "walk-title")
    assert "Your timed walk was 7 min 17 s." in walks
    assert table_rows(walks)[1][1] == "7 min 17 s"
    assert ": 7 min 17 s</title>" in walks
    assert "7.2" not in walks.split("<svg")[0] + walks.split("</svg>")[-1]
    assert "7 min 12 s" not in walks


def test_the_calendar_marks_days_done_in_words(alice_client: Client, alice: Patient) -> None:
    do_session(alice, days_ago=0)
    do_session(alice, days_ago=0)
    alice.created_at -= dt.timedelta(weeks=10)
    alice.save(update_fields=["created_at"])
    days = section(progress_page(alice_client), "days-title")
    assert "In the last 8 weeks you did 2 sessions on 1 day." in days
    assert ": done, 2 sessions</span>" in days
    assert days.count(": not done</span>") >= 7 * 7  # the 7 weeks before this one at least


def test_a_new_patients_calendar_starts_when_they_signed_up(
    alice_client: Client, alice: Patient
) -> None:
    """Someone who signed up today has not missed the 7 weeks before: their calendar is this
    week alone, and its days before today are blank, not "not done"."""
    do_session(alice, days_ago=0)
    days = section(progress_page(alice_client), "days-title")
    assert "This week you did 1 session on 1 day." in days
    assert days.count("<tbody>") == 1
    assert len(re.findall(r"<tr>\s*<th scope=\"row\">", days)) == 1
    assert ": not done</span>" not in days
    before = timezone.localdate().weekday()  # Monday to yesterday
    assert days.count(": before you started</span>") == before


def test_sessions_long_ago_leave_an_empty_calendar(alice_client: Client, alice: Patient) -> None:
    do_session(alice, days_ago=70)
    days = section(progress_page(alice_client), "days-title")
    assert "You have not done a session in the last 8 weeks." in days
    assert days.count(": not done</span>") >= 7 * 7


def test_function_scores_and_the_answers_about_change(alice_client: Client, alice: Patient) -> None:
    start_function_tracking(alice, [("Walking to the shop", 3), ("Gardening", 5)])
    shop, garden = alice.activities.all()
    record_function_check(alice, {shop.pk: 6, garden.pk: 5}, impression=3)
    function = section(progress_page(alice_client), "function-title")
    assert "Walking to the shop went from 3 to 6. Gardening stayed at 5." in function
    rows = table_rows(function)
    assert rows[0] == [
        "Date",
        "Walking to the shop",
        "Gardening",
        "How things are since you started",
    ]
    assert [row[1:] for row in rows[1:]] == [["3", "5", "Not asked"], ["6", "5", "A little better"]]
    assert "A little better" in function.split("How things are since you started</h3>")[1]


def test_each_exercise_shows_its_dose_over_time(alice_client: Client, alice: Patient) -> None:
    # Two trouble-free sessions in a row: each exercise goes one step up.
    do_session(alice, days_ago=2)
    do_session(alice, days_ago=1)
    knees = section(progress_page(alice_client), "exercise-back-flexion")
    assert "You started at 4 times, hold 10 seconds. Now you do 4 times, hold 15 seconds." in knees
    changes = knees.split("Knees to chest: each change")[1]
    rows = table_rows(changes)
    assert rows[1][1] == "4 times, hold 10 seconds. This is where you start."
    assert rows[2][1].startswith("4 times, hold 15 seconds. You did this 2 times in a row")


def test_the_dose_chart_shows_what_was_done_beside_the_plan(
    alice_client: Client, alice: Patient
) -> None:
    """A pelvic tilt stopped at rep 3 of 8 holds of 10 s shows 30 s done, not the 80 s
    planned; the plan has its own line."""
    stopped = {"completed": False, "stop_reason": "skipped", "reps_done": 3, "sets_done": 0}
    do_session(alice, days_ago=2)
    do_session(alice, days_ago=1, overrides={"pelvic-tilt": stopped})
    tilt = section(progress_page(alice_client), "exercise-pelvic-tilt")
    assert "Last time you did 30 of 80 seconds." in tilt
    done = tilt.split("Pelvic tilt: what you did each session")[1].split("</table>")[0]
    assert [row[1] for row in table_rows(done)[1:]] == [
        "80 of 80",
        "30 of 80",
    ]
    assert "What you did, " in tilt
    assert ": 30</title>" in tilt
    assert "Your plan, " in tilt
    assert '<ul class="legend">' in tilt


def test_a_march_counts_the_sets_done(alice: Patient) -> None:
    session = do_session(alice, days_ago=1)
    result = session.results.get(exercise_id="back-flexion")
    # Made into a march of 2 sets of 30 s with one set done (the march opens late).
    ExerciseResult.objects.filter(pk=result.pk).update(
        reps=None, hold_seconds=None, work_seconds=30, sets=2, set_break_seconds=30,
        completed=False, stop_reason="skipped", sets_done=1, reps_done=0,
    )  # fmt: skip
    assert seconds_done(ExerciseResult.objects.get(pk=result.pk)) == 30


def test_an_exercise_not_open_yet_says_so(alice_client: Client) -> None:
    march = section(progress_page(alice_client), "exercise-hook-lying-march")
    assert "Not open yet." in march
    assert "<svg" not in march


def test_every_id_on_the_page_is_unique(alice_client: Client, alice: Patient) -> None:
    do_session(alice, days_ago=1)
    record_walking_test(alice, minutes=Decimal(8), stopped_by_symptoms=True)
    ids = re.findall(r'\sid="([^"]+)"', progress_page(alice_client))
    assert len(ids) == len(set(ids))


def test_nobody_elses_data_shows(alice_client: Client, dave: Patient) -> None:
    do_session(dave, days_ago=1, leg_before=8)
    html = progress_page(alice_client)
    assert "Do your first session to see your pain here." in html


# The chart helpers


def test_a_round_top_for_an_axis() -> None:
    assert [nice_ceiling(v) for v in (3, 10, 37, 61, 180, 181, 300)] == [
        10, 10, 50, 75, 200, 200, 300
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        ([5], "Pain was 5."),
        ([5, 5.0], "Pain stayed at 5."),
        ([6, 4.5, 3], "Pain went from 6 to 3."),
        ([2.25, 3], "Pain went from 2.2 to 3."),
    ],
)
def test_change_in_a_sentence(values: list[float], sentence: str) -> None:
    assert change_sentence("Pain", values) == sentence


def test_numbers_and_times_follow_the_language() -> None:
    with translation.override("es"):
        assert number(4.5) == "4,5"
        assert change_sentence("El dolor", [6, 4.5]) == "El dolor pasó de 6 a 4,5."
    with translation.override("en"):
        assert number(4.5) == "4.5"
        assert [walk_time(s) for s in (437, 480, 45, 0)] == ["7 min 17 s", "8 min", "45 s", "0 min"]


def test_spanish_progress_has_a_decimal_comma(alice: Patient) -> None:
    alice.language = "es"
    ready(alice).save(update_fields=["language"])
    record_pain_checkin(alice, leg_pain=5, back_pain=1)
    record_pain_checkin(alice, leg_pain=4, back_pain=2)
    record_walking_test(alice, seconds=437, stopped_by_symptoms=True)
    with translation.override("es"):
        html = progress_page(logged_in(alice))
    pain = section(html, "pain-title")
    assert table_rows(pain)[1][1:] == ["4,5", "1,5"]
    assert "Su dolor de pierna: 4,5." in pain
    assert table_rows(section(html, "walk-title"))[1][1] == "7 min 17 s"


def test_a_chart_of_one_day_puts_it_in_the_middle() -> None:
    day = dt.date(2025, 3, 3)
    chart = time_chart(
        slug="x",
        title="X",
        summary="",
        y_label="",
        y_max=10,
        y_step=2,
        series=[Series("Leg", [(day, 5)])],
        table=Table("", [], []),
    )
    (marker,) = chart.lines[0].markers
    assert marker.x == (chart.left + chart.right) / 2
    assert marker.y == (chart.top + chart.bottom) / 2
    assert [tick.label for tick in chart.x_ticks] == ["Mar 3"]
    assert chart.description == "A line chart of March 3. The numbers are in the table below it."


def test_a_step_chart_runs_on_to_today() -> None:
    days = [dt.date(2025, 3, 3), dt.date(2025, 3, 10)]
    chart = time_chart(
        slug="x",
        title="X",
        summary="",
        y_label="",
        y_max=100,
        y_step=20,
        series=[Series("Load", [(days[0], 40), (days[1], 60)], steps=True)],
        table=Table("", [], []),
        until=dt.date(2025, 3, 17),
    )
    first, second = chart.lines[0].markers
    assert chart.lines[0].path == (
        f"M{first.x:.1f} {first.y:.1f}H{second.x:.1f}V{second.y:.1f}H{chart.right - 12:.1f}"
    )
    assert [tick.label for tick in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]


def test_the_calendar_runs_monday_to_sunday_and_knows_what_is_still_to_come() -> None:
    wednesday = dt.date(2025, 3, 12)
    weeks = session_calendar([wednesday, wednesday, dt.date(2025, 3, 3)], wednesday, weeks=2)
    assert [week.start for week in weeks] == [dt.date(2025, 3, 3), dt.date(2025, 3, 10)]
    assert [week.sessions for week in weeks] == [1, 2]
    assert [week.days_done for week in weeks] == [1, 1]
    assert [day.later for day in weeks[1].days] == [False] * 3 + [True] * 4


def test_the_calendar_leaves_out_the_weeks_before_the_start() -> None:
    wednesday = dt.date(2025, 3, 12)
    weeks = session_calendar([wednesday], wednesday, weeks=8, since=dt.date(2025, 3, 4))
    assert [week.start for week in weeks] == [dt.date(2025, 3, 3), dt.date(2025, 3, 10)]
    assert [day.before for day in weeks[0].days] == [True] + [False] * 6
    assert not any(day.before for day in weeks[1].days)


# A long history, summed up: the last 8 weeks day by day, the weeks before them one a week


def first_cells(rows: list[list[str]]) -> list[str]:
    """The first cell of each row but the header: a day ("March 3") or a week."""
    cells = [re.sub(r"<[^>]+>", " ", row[0]).split("  ")[0].strip() for row in rows[1:]]
    return [cell.replace("\u00a0", " ") for cell in cells]


def week_of(monday: dt.date) -> str:
    """A week's label, with its year when that is not this year."""
    year = f", {monday.year}" if monday.year != timezone.localdate().year else ""
    return f"Week of {monday:%b} {monday.day}{year}"


def expected_rows(days: int, today: dt.date) -> tuple[int, int]:
    """Weeks and days in the table for a session a day over the last `days` days."""
    start = daily_from(today)
    first = today - dt.timedelta(days=days - 1)
    old = {first + dt.timedelta(days=n) for n in range((start - first).days)}
    return len({day - dt.timedelta(days=day.weekday()) for day in old}), (today - start).days + 1


def test_a_long_history_is_weekly_before_the_last_8_weeks(alice: Patient) -> None:
    many_sessions(ready(alice), 200, leg=lambda n: n % 7)
    today = timezone.localdate(timezone=alice.zone)
    html = progress_page(logged_in(alice))
    weeks, days = expected_rows(200, today)
    start = daily_from(today)
    for heading in ("pain-title", "exercise-back-flexion"):
        part = section(html, heading)
        cells = first_cells(table_rows(part.split("</table>")[0]))
        assert len(cells) == weeks + days
        assert all(cell.startswith("Week of ") for cell in cells[:weeks])
        assert not any(cell.startswith("Week of") for cell in cells[weeks:])
        assert cells[weeks - 1] == week_of(start - dt.timedelta(weeks=1))
        assert cells[weeks] == f"{start:%B} {start.day}"
        assert "Each older week shows its average." in part
        assert "each point is one week." in part
        assert ">Each week</text>" in part
        assert ">Each day</text>" in part
    # Points too many to tell apart are drawn as a line; the table has each one in words.
    drawing = section(html, "pain-title").split('class="chart-drawing"')[1].split("</svg>")[0]
    assert 'class="line"' in drawing
    assert 'class="marker"' not in drawing


def test_a_short_history_is_day_by_day(alice_client: Client, alice: Patient) -> None:
    many_sessions(alice, 20)
    pain = section(progress_page(alice_client), "pain-title")
    assert "Week of" not in pain
    assert "Each week" not in pain
    assert "Each older week" not in pain
    assert pain.count('class="marker"') == 2 * 20 + 2


def progress_reads(patient: Patient) -> tuple[int, int, int]:
    """The queries and bytes of the Progress page, and the rows in its pain table (fetched
    when "See the numbers" is opened)."""
    client = logged_in(patient)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/progress/")
    assert response.status_code == 200
    pain = section(progress_page(client), "pain-title").split("</table>")[0]
    return len(queries), len(response.content), len(table_rows(pain)) - 1


def test_the_page_grows_with_its_weeks_not_its_days(alice: Patient, dave: Patient) -> None:
    """The same queries at 60 days and 200, and each week more adds a point to each drawing
    at most; the tables, a row a week, come only when asked for."""
    many_sessions(ready(alice), 60)
    many_sessions(ready(dave), 200)
    short_queries, short_bytes, short_points = progress_reads(alice)
    long_queries, long_bytes, long_points = progress_reads(dave)
    assert short_queries == long_queries
    today = timezone.localdate()
    assert short_points == sum(expected_rows(60, today))
    assert long_points == sum(expected_rows(200, today))
    # 5 drawings (pain, 4 exercises), each a few bytes more on its line for a week.
    assert long_bytes - short_bytes <= 100 * (long_points - short_points)


def test_a_long_history_keeps_the_page_small(dave: Patient) -> None:
    """Two years of daily sessions: the page (without the tables, fetched when opened) is
    well under 80 KB, and each table is there when asked for."""
    many_sessions(ready(dave), 730)
    client = logged_in(dave)
    response = client.get("/progress/")
    assert len(response.content) < 60_000
    html = page(response)
    assert "<table>" not in html.split('class="calendar"')[0]
    pain = client.get("/progress/numbers/pain/", {"part": "tables"})
    assert len(table_rows(page(pain))) - 1 == sum(expected_rows(730, timezone.localdate()))


def at(day: dt.date, hour: int, minute: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def test_an_older_week_is_the_average_of_its_answers_in_the_patients_week(
    alice: Patient,
) -> None:
    """Weeks run Monday to Sunday where the patient lives (Auckland, 13 hours ahead of UTC
    in summer): a Monday at 00:30 there is a Sunday in UTC, but it starts the week there."""
    alice.time_zone = "Pacific/Auckland"
    ready(alice).save(update_fields=["time_zone"])
    zone = alice.zone
    monday = daily_from(timezone.localdate(timezone=zone)) - dt.timedelta(weeks=3)
    answers = [
        (monday - dt.timedelta(days=1), 23, 30, "daily", 2, 0),  # the Sunday before
        (monday, 0, 30, "daily", 4, 1),
        (monday + dt.timedelta(days=2), 12, 0, "daily", 8, 3),
        (monday + dt.timedelta(days=2), 13, 0, "after", 10, 10),  # after a session: left out
    ]
    for day, hour, minute, moment, leg, back in answers:
        PainCheckIn.objects.create(
            patient=alice,
            moment=moment,
            recorded_at=at(day, hour, minute, zone),
            leg_pain=leg,
            back_pain=back,
        )
    for day, seconds, stopped in [
        (monday, 300, True),
        (monday + dt.timedelta(days=3), 437, True),
        (monday - dt.timedelta(days=3), 1800, False),
    ]:
        WalkingTest.objects.create(
            patient=alice,
            taken_at=at(day, 10, 0, zone),
            seconds=seconds,
            stopped_by_symptoms=stopped,
        )
    record_walking_test(alice, seconds=600, stopped_by_symptoms=True)  # today: a day
    with translation.override("en"):
        html = progress_page(logged_in(alice))
    pain = table_rows(section(html, "pain-title"))
    assert [row[1:] for row in pain[1:]] == [["2", "0"], ["6", "2"]]
    assert first_cells(pain) == [week_of(monday - dt.timedelta(weeks=1)), week_of(monday)]
    walks = table_rows(section(html, "walk-title"))
    assert [row[1:] for row in walks[1:]] == [
        ["30 min", "You walked the full 30 minutes"],
        ["7 min 17 s", "The best of 2 walks"],
        ["10 min", "Your leg made you stop"],
    ]
    assert "Each older week shows its best walk." in section(html, "walk-title")


def test_an_older_week_of_an_exercise_is_the_average_of_its_sessions(alice: Patient) -> None:
    """A pelvic tilt of 8 holds of 10 s done in full, then stopped at 3: 55 of 80 seconds on
    average that week."""
    ready(alice)
    today = timezone.localdate(timezone=alice.zone)
    monday = daily_from(today) - dt.timedelta(weeks=2)
    stopped = {"completed": False, "stop_reason": "skipped", "reps_done": 3, "sets_done": 0}
    do_session(alice, days_ago=(today - monday).days - 1)
    do_session(alice, days_ago=(today - monday).days - 2, overrides={"pelvic-tilt": stopped})
    do_session(alice, days_ago=1)
    tilt = section(progress_page(logged_in(alice)), "exercise-pelvic-tilt")
    done = table_rows(tilt.split("what you did each session")[1].split("</table>")[0])
    assert first_cells(done)[0] == week_of(monday)
    assert done[1][1] == "55 of 80"
    assert len(done) == 3  # and yesterday's session, by its day
    assert not done[2][0].startswith("Week of")
    assert "Last time you did 80 of 80 seconds." in tilt


def test_the_database_counts_the_seconds_as_python_does(alice: Patient) -> None:
    stopped = {"completed": False, "stop_reason": "skipped", "reps_done": 3, "sets_done": 0}
    session = do_session(alice, overrides={"pelvic-tilt": stopped})
    result = session.results.get(exercise_id="back-flexion")
    ExerciseResult.objects.filter(pk=result.pk).update(
        reps=None, hold_seconds=None, work_seconds=30, sets=2, set_break_seconds=30,
        completed=False, stop_reason="skipped", sets_done=1, reps_done=0,
    )  # fmt: skip
    curl = session.results.get(exercise_id="curl-up")
    ExerciseResult.objects.filter(pk=curl.pk).update(reps=10, sets=2, last_set_reps=5)
    for result in ExerciseResult.objects.annotate(done=DONE_SECONDS, planned=PLANNED_SECONDS):
        assert (result.done, result.planned) == (seconds_done(result), result.dose.load_seconds)


def test_a_chart_that_reaches_into_another_year_says_the_first_year() -> None:
    from django.utils import translation

    from stenosis_coach.outcomes.charts import date_ticks, split_ticks

    def x_of(day: dt.date) -> float:
        return float(day.toordinal())

    two_years = date_ticks(dt.date(2024, 12, 2), dt.date(2026, 12, 2), x_of)
    assert [tick.label for tick in two_years] == ["Dec 2, 2024", "Dec 2, 2025", "Dec 2"]
    split = split_ticks(dt.date(2025, 1, 6), dt.date(2026, 10, 12), dt.date(2026, 12, 2), x_of)
    assert [tick.label for tick in split] == ["Jan 6, 2025", "Oct 12", "Dec 2"]
    one_year = date_ticks(dt.date(2026, 3, 1), dt.date(2026, 12, 2), x_of)
    assert one_year[0].label == "Mar 1"
    with translation.override("es"):
        assert date_ticks(dt.date(2024, 12, 2), dt.date(2026, 12, 2), x_of)[0].label == (
            "2 Dic 2024"
        )


def test_each_charts_numbers_have_a_page_of_their_own(alice_client: Client, alice: Patient) -> None:
    """Without the script, "See the numbers" holds a link: the tables on a page of their own,
    with the way back."""
    do_session(alice, days_ago=1, leg_before=6)
    html = page(alice_client.get("/progress/"))
    assert 'href="/progress/numbers/pain/">Open the numbers on a page of their own</a>' in html
    numbers = page(alice_client.get("/progress/numbers/pain/"))
    assert "<h1>Pain in your leg and back</h1>" in numbers
    assert '<a href="/progress/">Back to your progress</a>' in numbers
    assert table_rows(numbers)[1][1:] == ["6", "2"]
    tilt = page(alice_client.get("/progress/numbers/dose-pelvic-tilt/", {"part": "tables"}))
    assert "<html" not in tilt
    assert "Pelvic tilt: what you did each session" in tilt


@pytest.mark.parametrize("slug", ["walking", "function", "dose-hook-lying-march", "nothing"])
def test_a_chart_with_nothing_to_show_has_no_numbers(
    alice_client: Client, alice: Patient, slug: str
) -> None:
    do_session(alice, days_ago=1)  # no walk, no function check; the march is not open yet
    assert alice_client.get(f"/progress/numbers/{slug}/").status_code == 404


def test_the_numbers_are_only_the_patients_own(alice: Patient, dave: Patient) -> None:
    do_session(ready(alice), days_ago=1, leg_before=6)
    assert logged_in(ready(dave)).get("/progress/numbers/pain/").status_code == 404
    assert staff_client().get("/progress/numbers/pain/").status_code == 404
    response = Client().get("/progress/numbers/pain/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("zone_name", ["Europe/Madrid", "America/New_York", "Australia/Sydney"])
def test_the_database_puts_each_moment_in_the_patients_week_across_summer_time(
    alice: Patient, zone_name: str
) -> None:
    """Moments an hour either side of local midnight on Sundays and Mondays, around every
    change of summer time in two years: each in the week the patient's own clock says."""
    from stenosis_coach.outcomes.progress import by_week, week_day

    zone = ZoneInfo(zone_name)
    start = dt.datetime(2024, 1, 1, tzinfo=zone)
    moments = []
    for day in range(0, 730):
        local = start + dt.timedelta(days=day)
        if local.weekday() in (6, 0):  # Sunday and Monday, around midnight
            for minutes in (-61, -1, 0, 1, 59, 61):
                midnight = dt.datetime.combine(local.date(), dt.time(), tzinfo=zone)
                moments.append(midnight + dt.timedelta(minutes=minutes))
    PainCheckIn.objects.bulk_create(
        PainCheckIn(patient=alice, moment="daily", recorded_at=m, leg_pain=1, back_pain=1)
        for m in moments
    )
    until = dt.datetime(2026, 1, 5, tzinfo=zone)
    rows = by_week(alice.pain_checkins.filter(recorded_at__lt=until), "recorded_at", zone, until)
    counted = {week_day(row["week"]): row["n"] for row in rows.annotate(n=Count("pk"))}
    expected: dict[dt.date, int] = {}
    for moment in moments:
        if moment < until:
            day = moment.astimezone(zone).date()
            monday = day - dt.timedelta(days=day.weekday())
            expected[monday] = expected.get(monday, 0) + 1
    assert counted == expected
