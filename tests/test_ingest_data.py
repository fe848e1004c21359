"""The ingest's data files hold together: every code exists, every pattern compiles."""

from __future__ import annotations

import re

import pytest

from digest.ingest import data
from digest.ingest.gazetteer import gazetteer, key
from digest.reference.refdata import load

REF = load()


def test_regency_seats_belong_to_kabupaten_and_cover_most_of_them():
    seats = data.read("regency_capitals")
    for code in seats:
        assert REF.regency_by_code[str(code)].kind == "kabupaten", code
    kabupaten = [r for r in REF.regencies if r.kind == "kabupaten"]
    assert len(seats) >= 0.95 * len(kabupaten)


def test_police_units_and_spans_name_real_places():
    units = data.read("police_units")
    for name, code in units["units"].items():
        assert str(code) in REF.regency_by_code, name
    for name, codes in units["polda_spans"].items():
        assert all(c in REF.province_by_code for c in codes), name


def test_each_province_capital_lies_in_its_province():
    capitals = data.read("places")["province_capitals"]
    assert len(capitals) == 37  # all but DKI Jakarta, whose capital is the province itself
    for province, code in capitals.items():
        assert REF.regency_by_code[str(code)].province_code == str(province)


def test_names_that_need_a_qualifier_are_known_names():
    for name in data.read("places")["needs_qualifier"]:
        assert gazetteer(REF).lookup(name), name


def test_titles_for_provinces_are_titles():
    roles = data.read("roles")
    assert set(roles["province_level"]) <= set(roles["forms"].values())


@pytest.mark.parametrize("name,paths", [
    ("boilerplate", ["related", "prompts", "credits"]),
    ("places", ["outlet_names", "phrase_masks"]),
    ("topics", None),
])
def test_patterns_compile(name, paths):
    spec = data.read(name)
    patterns = [p for path in paths for p in spec[path]] if paths else [p for v in spec.values() for p in v]
    for pattern in patterns:
        re.compile(pattern)


def test_stage_keywords_name_real_stages_and_elections():
    spec = data.read("stage_keywords")
    assert set(spec["stages"]) == set(REF.stages)
    assert {"pemilu-2024", "pilkada-2024"} <= set(spec["election"])
    assert {o["stage"] for o in spec["overrides"]} <= set(REF.stages)
    for items in spec["stages"].values():
        for pattern, weight in items:
            re.compile(pattern)
            assert weight > 0


def test_no_seat_hides_a_kab_kota_name():
    for code, seats in data.read("regency_capitals").items():
        for seat in [seats] if isinstance(seats, str) else seats:
            for target in gazetteer(REF).lookup(seat):
                if target.form == "bare":
                    assert key(seat) == key(REF.regency_by_code[target.regency].bare) and target.regency == str(code)
