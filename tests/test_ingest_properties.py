"""Property-based ingest: any text gives an entry that validates or a one-line error, and a
generated article goes ingest -> check -> build with its facts intact."""

from __future__ import annotations

import datetime as dt
import shutil

from hypothesis import HealthCheck, given, settings

from digest.build import build
from digest.content.loader import load_all
from digest.errors import DigestError
from digest.ingest.compose import INVALID
from digest.ingest.pipeline import ingest
from digest.ingest.source import Input
from digest.reference.refdata import load
from digest.site.checks import check
from tests.conftest import make_config
from tests.ingest_fuzz import article, mixed
from tests.sitetools import parse as parse_page

REF = load()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed)
def test_any_text_is_an_entry_or_a_one_line_error(text):
    try:
        draft = ingest(Input("x.txt", text, is_html=False), ref=REF)
    except DigestError as exc:  # a refusal, never a draft that fails the schema (compose.finish checks)
        assert all(p.path == "x.txt" and "\n" not in p.message and not p.message.startswith(INVALID)
                   for p in exc.problems)
        return
    for field in ("date", "province", "election", "stage"):  # settled, or left empty as a flagged draft
        assert draft.meta[field] or (field in draft.missing and field in draft.meta["review"] and draft.meta["draft"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(article())
def test_generated_article_round_trips_through_check_and_build(tmp_path, generated):
    text, truth = generated
    draft = ingest(Input("a.txt", text, is_html=False), ref=REF)
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir()
    (content / f"{draft.id}.md").write_text(draft.text, encoding="utf-8")
    assert check([content], REF).errors == 0
    entry = load_all(content, REF)[0]
    assert REF.province_by_slug[entry.province].name == truth["province"]
    assert entry.date == truth["date"] or "date" in entry.review
    assert entry.regency is None or REF.regency_by_code[entry.regency].name == truth["regency"] \
        or "regency" in entry.review
    assert entry.personnel == truth["personnel"]
    cfg = make_config(tmp_path, content)
    build(cfg, today=dt.date(2030, 1, 1))
    page = parse_page(cfg.output, f"/berita/{entry.id}/")
    assert truth["province"] in page.cssselect("dl.facts")[0].text_content()
