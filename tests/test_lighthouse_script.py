"""The summary `make lighthouse` writes, and its verdict, from Lighthouse's report format."""

from __future__ import annotations

from scripts.lighthouse import AIMS, points_missed, short_of_aims, table

FULL = {"performance": 100, "accessibility": 100, "best-practices": 100}


def test_scores_at_or_above_our_aims_pass() -> None:
    assert short_of_aims({"today": FULL, "home": {**FULL, "performance": 95}}) == []


def test_each_score_under_its_aim_is_named() -> None:
    scores = {"today": {**FULL, "accessibility": 98}, "progress": {**FULL, "performance": 94}}
    assert short_of_aims(scores) == [
        "today: accessibility 98 (aim: 100)",
        "progress: performance 94 (aim: 95)",
    ]


def test_the_table_has_a_row_a_page_and_a_column_a_category() -> None:
    lines = table({"today": FULL}).splitlines()
    assert lines[0] == "| Page | Performance | Accessibility | Best-Practices |"
    assert lines[2] == "| today | 100 | 100 | 100 |"
    assert len(AIMS) == 3


def test_only_audits_that_count_and_lost_points_are_listed() -> None:
    report = {
        "audits": {
            "fcp": {"title": "First Contentful Paint", "score": 0.9, "displayValue": "1.5 s"},
            "lcp": {"title": "Largest Contentful Paint", "score": 1, "displayValue": "0.9 s"},
            "hint": {"title": "A hint worth nothing", "score": 0},
            "info": {"title": "Only information", "score": None},
        }
    }
    category = {
        "auditRefs": [
            {"id": "fcp", "weight": 10},
            {"id": "lcp", "weight": 25},
            {"id": "hint", "weight": 0},
            {"id": "info", "weight": 0},
        ]
    }
    assert points_missed(report, category) == ["First Contentful Paint (1.5 s)"]
