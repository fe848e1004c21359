"""Property-based: whatever mapping an editor (or a script) writes as front matter, loading gives
either a valid entry or problems that each name the file and a line, never an exception."""

from __future__ import annotations

import datetime as dt

import lxml.html
import markdown
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from digest.content.entry import Entry, missing_fields
from digest.content.frontmatter import parse
from digest.content.schema import TOP_KEYS, validate
from digest.errors import DigestError, Problem
from digest.reference.refdata import load
from digest.site import markup
from digest.site.markup import BodyError, render_markdown

REF = load()

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                    st.text(max_size=40), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                      max_leaves=12)
plausible = {
    "title": st.text(min_size=1, max_size=80),
    "date": st.dates(dt.date(2022, 1, 1), dt.date(2025, 12, 31)),
    "province": st.sampled_from([p.name for p in REF.provinces] + ["Jatim", "DKI", "Atlantis"]),
    "election": st.sampled_from(["pemilu-2024", "pilkada-2024", "pemilu-2019"]),
    "stage": st.sampled_from(list(REF.stages) + ["kampnye"]),
    "regency": st.sampled_from([r.name for r in REF.regencies[:40]] + ["Malang", "Batu", "Gotham"]),
    "officials": st.lists(st.fixed_dictionaries({"name": st.text(max_size=20)},
                                                optional={"rank": st.text(max_size=8)})),
    "figures": st.fixed_dictionaries({}, optional={"personnel": st.integers(-5, 10**6),
                                                   "budget_idr": st.integers(0, 10**13)}),
}
REQUIRED = ("title", "date", "province", "election", "stage")
anything = st.fixed_dictionaries({}, optional={**{k: values for k in TOP_KEYS}, **plausible}).flatmap(
    lambda d: st.dictionaries(st.text(max_size=12), values, max_size=2).map(lambda extra: {**extra, **d}))
nearly_right = st.fixed_dictionaries({k: plausible[k] for k in REQUIRED},
                                     optional={k: plausible[k] for k in ("regency", "officials", "figures")})
front_matter = st.one_of(anything, nearly_right)


def _load(meta: dict) -> tuple[Entry | None, list[Problem]]:
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\nIsi.\n"
    try:
        return validate(parse("content/p.md", text), REF)
    except DigestError as exc:
        return None, exc.problems


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter)
def test_any_front_matter_is_an_entry_or_clear_errors(meta):
    entry, problems = _load(meta)
    event("valid entry" if entry else "rejected")
    assert (entry is None) == bool(problems)
    n_lines = 3 + len(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).splitlines())
    for p in problems:
        assert p.path == "content/p.md" and 0 < p.line <= n_lines and p.message
    if entry is not None and missing_fields(entry):  # an incomplete draft: allowed, never built
        assert entry.draft and all(k in meta and meta[k] in (None, "", []) for k in missing_fields(entry))
    elif entry is not None:
        assert entry.title and entry.stage in REF.stages and entry.province in REF.province_by_slug
        assert set(entry.elections) <= set(REF.elections)
        assert entry.regency is None or REF.regency_by_code[entry.regency].province_code == \
            REF.province_by_slug[entry.province].code
        assert all(isinstance(n, int) and n >= 0 for n in (entry.personnel, entry.budget_idr) if n is not None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_file_is_an_entry_or_clear_errors(text):
    try:
        entry, problems = validate(parse("content/t.md", text), REF)
    except DigestError as exc:
        entry, problems = None, exc.problems
    assert (entry is None) == bool(problems)
    assert all(p.path == "content/t.md" for p in problems)


# Plain scalars as an editor types them, shaped like what YAML 1.1 resolves to something other
# than text: dates and times (real or not), numbers in every base, booleans, with explicit tags.
TYPED = st.one_of(
    st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,3})?)?"
                  r"( ?(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?\Z"),
    st.from_regex(r"\A[-+]?(0x[0-9a-fA-F_]{1,6}|0b[01_]{1,6}|0[0-7_]{1,5}|[1-9][0-9_]{0,4}(:[0-5]?[0-9]){1,2}|"
                  r"[0-9][0-9_]{0,40}(\.[0-9_]{0,4})?([eE][-+][0-9]{1,3})?|\.(inf|nan|Inf|NaN))\Z"),
    st.sampled_from(["yes", "No", "on", "OFF", "~", "null", "true", "y", "n", "=", "<<"]),
)
TAGS = st.sampled_from(["", "!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!str ", "!!null ", "!!binary "])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TOP_KEYS + ("figures.personnel", "source.url", "2024-01-01")), TAGS, TYPED)
def test_typed_scalars_in_any_field_are_values_or_clear_errors(key, tag, scalar):
    """No scalar YAML 1.1 resolves (or fails to resolve) ends in anything but an entry or a
    problem at the line it is on."""
    parent, _, child = key.partition(".")
    line = f"{parent}:\n  {child}: {tag}{scalar}" if child and parent != "2024-01-01" else f"{key}: {tag}{scalar}"
    text = f"---\ntitle: Polres Batu amankan TPS\ndate: 2024-02-14\nprovince: Jawa Timur\n" \
           f"election: pemilu-2024\nstage: pemungutan\n{line}\n---\nIsi.\n"
    try:
        entry, problems = validate(parse("content/s.md", text), REF)
    except DigestError as exc:
        entry, problems = None, exc.problems
    assert (entry is None) == bool(problems)
    assert all(p.path == "content/s.md" and 1 <= p.line <= 8 and "\n" not in str(p) for p in problems), problems


# Markdown punctuation mixed with pieces of HTML and scripts, in any order: what a pasted article
# or a hostile editor can put in a body.
BODY_PIECES = st.one_of(st.sampled_from(list("[]()<>*_`!:-> #\n\tax1.\"'=/")), st.sampled_from([
    "<script>", "</script>", "<scr", "ipt>", "<img src=x onerror=alert(1)>", " onclick=", "<a href=", "<iframe",
    "<style>", "<svg onload=alert(2)>", "javascript:", "JaVaScRiPt:", "data:text/html,", "](", "<!--", "-->",
    "&lt;", "<b>", "<object data=x>", "<embed src=x>"]))
ACTIVE = {"script", "iframe", "style", "object", "embed", "svg", "img"}


@settings(max_examples=200, deadline=None)
@given(st.lists(BODY_PIECES, max_size=60).map("".join))
def test_any_markdown_body_converts_to_inert_html_or_is_refused_with_a_reason(body):
    try:
        html = render_markdown(body)
    except BodyError as exc:
        assert "body" in str(exc)
        return
    for el in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        if not isinstance(el.tag, str):  # comments and processing instructions do nothing
            continue
        assert el.tag not in ACTIVE, (body, html)
        assert not any(name.lower().startswith("on") for name in el.attrib), (body, html)
        for name in ("href", "src", "data", "action"):
            assert not (el.get(name) or "").strip().lower().startswith(("javascript:", "data:")), (body, html)


# Code spans, escapes, links, references, headings, quotes and definitions, run together: where
# the converter's guarded patterns (markup._Guarded) must find exactly what python-markdown's own find.
MARKDOWN_PIECES = st.one_of(st.sampled_from(list("[]()`\\!*_ <>\n:ax^#=-")), st.sampled_from([
    "``", "\\\\`", "\\`", "[x](/y)", "[r][1]", "\n\n[1]: https://a.id/b\n\n", "![i](j)", "[^1]",
    "\n\n[^1]: catatan\n\n", "    kode\n", "Polres Batu mengamankan TPS. ", "\n## Judul\n", "# ", "\n===\n",
    "\n---\n", "\n> kutipan\n", "> ", "\nIstilah\n:   definisi\n", ": ", "\n\n", "Kapolres: aman. "]))


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKDOWN_PIECES, max_size=40).map("".join))
def test_bodies_convert_exactly_as_python_markdown_converts_them(body):
    plain = markdown.Markdown(extensions=list(markup.EXTENSIONS), output_format="html")
    assert markup._converter().reset().convert(body) == plain.convert(body)


def test_the_patterns_that_try_every_character_are_guarded():
    """Code spans, links, headings, quotes and definitions are looked for only in text that holds
    their mark: a python-markdown that rewrites one of these expressions loses its guard and the
    speed it gives a cold build (README, Speed), so this says so."""
    converter = markup._converter()
    guarded = [p for p in converter.inlinePatterns if isinstance(p.getCompiledRegExp(), markup._Guarded)]
    guarded += [p for p in converter.parser.blockprocessors if isinstance(getattr(p, "RE", None), markup._Guarded)]
    assert len(guarded) == len(markup._NEEDED) + 2  # the link expression serves three patterns
