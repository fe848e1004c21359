"""On every seed article of ../shared/seeds/: each field of truth.yaml is right or listed in
`review`, no boilerplate line survives, and places named only in boilerplate decide nothing."""

from __future__ import annotations

import pytest
import yaml

from digest.ingest import clean, pipeline
from digest.ingest.gazetteer import gazetteer, key
from digest.ingest.source import Input
from digest.reference.refdata import load
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"
REF = load()

pytestmark = pytest.mark.skipif(not (SEEDS / "truth.yaml").is_file(), reason="../shared/seeds is absent")


def _truth() -> dict:
    if not (SEEDS / "truth.yaml").is_file():
        return {}
    return yaml.safe_load((SEEDS / "truth.yaml").read_text(encoding="utf-8"))


TRUTH = _truth()


@pytest.fixture(scope="module", params=sorted(TRUTH), ids=lambda name: name[:3])
def seed(request):
    name = request.param
    text = (SEEDS / name).read_text(encoding="utf-8")
    return TRUTH[name], pipeline.ingest(Input(name, text, False), ref=REF), text


def _agency_key(name: str) -> str:
    """Compare agencies whatever the province spelling ("KPU Kalimantan Selatan" = "KPU Kalsel")."""
    words = [w for w in key(name).split() if w != "provinsi"]
    for n in range(len(words), 0, -1):
        province = REF.province(" ".join(words[-n:]))
        if province:
            return " ".join([*words[:-n], province.slug])
    return " ".join(words)


def _ok(draft, field: str, right: bool) -> None:
    assert right or field in draft.meta.get("review", []), f"{field} is wrong and not flagged for review"


def test_outlet_and_source(seed):
    truth, draft, _ = seed
    source = draft.meta.get("source", {})
    outlet = source.get("outlet", "")
    if truth.get("outlet") is None:
        assert not outlet and "source.outlet" in draft.meta["review"]
    else:
        _ok(draft, "source.outlet", bool(outlet) and key(outlet).split()[0] == key(truth["outlet"]).split()[0])
    if truth.get("source_kind") == "press-release":
        assert "siaran pers" in draft.reasons["source.outlet"]
    _ok(draft, "source.url", source.get("url") == truth.get("source_url", source.get("url")))
    if "author" in truth:
        _ok(draft, "source.author", source.get("author") == truth["author"])


def test_title(seed):
    truth, draft, _ = seed
    if truth["title"] is None:
        assert "title" in draft.meta["review"]
    else:
        _ok(draft, "title", draft.meta["title"] == truth["title"])


def test_dates(seed):
    truth, draft, _ = seed
    _ok(draft, "date", draft.meta["date"] == truth["date"])
    if "date" in draft.meta["review"] and "date_window" in truth:
        low, high = truth["date_window"]
        assert low <= draft.meta["date"] <= high
    if "published" in truth:
        published = draft.meta.get("published")
        _ok(draft, "published", published is not None and str(published)[:10] == str(truth["published"]))


def test_place(seed):
    truth, draft, _ = seed
    _ok(draft, "province", REF.province(draft.meta["province"]) == REF.province(truth["province"]))
    _ok(draft, "regency", draft.meta.get("regency") == truth["regency"])
    if "dateline_place" in truth:
        _ok(draft, "dateline", key(draft.meta.get("dateline", "")) == key(truth["dateline_place"]))


def test_election_stage_topics(seed):
    truth, draft, _ = seed
    _ok(draft, "election", draft.meta["election"] == truth["election"])
    _ok(draft, "stage", draft.meta["stage"] in truth["stage"])
    _ok(draft, "topics", set(truth["topics"]) <= set(draft.meta.get("topics", [])))


def test_agencies_officials_figures(seed):
    truth, draft, _ = seed
    ours = {_agency_key(a) for a in draft.meta.get("agencies", [])}
    _ok(draft, "agencies", all(_agency_key(a) in ours for a in truth["agencies"]))
    found = draft.meta.get("officials", [])

    def matches(want: dict) -> bool:
        return any((want["name"] in o["name"] or o["name"] in want["name"])
                   and o.get("rank", "") == want.get("rank", "")
                   and _agency_key(o.get("role", "")) == _agency_key(want["role"]) for o in found)

    _ok(draft, "officials", all(matches(o) for o in truth["officials"]))
    if "personnel" in truth:
        _ok(draft, "figures.personnel", draft.meta.get("figures", {}).get("personnel") == truth["personnel"])


def test_no_boilerplate_line_survives(seed):
    truth, draft, _ = seed
    for line in truth.get("not_in_body", []):
        assert line not in draft.body
        assert line not in draft.meta.get("summary", "")


def test_places_in_boilerplate_never_decide(seed):
    truth, draft, text = seed
    analysed = clean.clean("seed", text, gazetteer(REF)).body_text
    for name in truth.get("places_not_to_use", []):
        assert name not in analysed
        assert name not in (draft.meta.get("regency") or "") and name not in draft.meta.get("dateline", "")
