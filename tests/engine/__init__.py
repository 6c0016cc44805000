"""Tests of the pure-Python programme engine (stenosis_coach.programme)."""
