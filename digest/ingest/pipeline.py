"""One raw article -> one validated Draft: read, clean, analyse, compose.

No article is lost: a field the text cannot settle is left empty (or at its best candidate),
the entry becomes a draft and `review` says why. Only input that is no election news is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from digest.content.ids import entry_id
from digest.errors import DigestError, Problem
from digest.ingest import agencies, classify, clean, compose, data, dates, figures, html, people, places
from digest.ingest.gazetteer import Gazetteer, gazetteer
from digest.ingest.hints import Hints, address
from digest.ingest.source import Input
from digest.reference.refdata import RefData

MIN_WORDS = 6  # fewer words than a lead sentence is not an article


def ingest(item: Input, hints: Hints | None = None, *, ref: RefData) -> compose.Draft:
    """The entry for one input: a draft naming what is missing when the text cannot settle a
    required field; DigestError with a one-line reason only when the input is no election news.
    Every place, election and stage is known from `ref`."""
    hints = hints or Hints()
    gaz = gazetteer(ref)
    article = _article(item, gaz)
    text = article.body_text
    url = hints.url or _address(article.url)
    second = article.paragraphs[1] if len(article.paragraphs) > 1 else ""
    rest = "\n\n".join(article.paragraphs[2:])
    lead_end = len(article.headline) + len(article.lead) + len(second) + 6
    masked = places.mask(text)
    finder = agencies.finder(ref)
    mentions = finder.find(masked)
    when = dates.resolve(f"{article.lead}\n\n{second}", rest, article.header_dates, meta_date=article.published_meta,
                         given=hints.published, url=url, captions=tuple(article.captions))
    notes: list[str] = []
    event = _hinted(hints.date, when.event, "date", notes)
    kind = classify.classify((article.headline, f"{article.lead}\n\n{second}", rest), event, ref,
                             election=hints.election)
    stage = _hinted(hints.stage, kind.stage, "stage", notes)
    if event is None and stage == "pemungutan":
        event = _voting_day(f"{article.lead}\n\n{second}", hints.election or kind.election, ref, when.reasons)
    place = places.decide(article, masked, lead_end, mentions, gaz, url=url, given=hints.province,
                          venue=data.read("places")["venues"].get(stage, ""))
    _place_hints(place, hints, notes)
    election = _hinted(hints.election, kind.election, "election", notes)
    officials = people.find(masked, mentions, place.province, gaz, start=len(article.headline))
    agency_names, agency_notes = agencies.listing(finder, mentions, place.province, place.regency)
    numbers = figures.find(text)

    reasons: dict[str, str] = {**when.reasons, **place.reasons, **kind.reasons, **numbers.reasons}
    if event is None:
        reasons["date"] = data.reason("date_missing", why=when.reasons.get("date") or data.reason("date_none"))
    if place.province is None:
        reasons["province"] = data.reason("province_missing", why=place.reasons["province"])
    title = article.headline
    if not title:
        title = compose.headline_from_lead(article.lead)
        reasons["title"] = data.reason("title_from_lead")
    if officials.notes:
        reasons["officials"] = "; ".join(dict.fromkeys(officials.notes))
    if agency_notes:
        reasons["agencies"] = "; ".join(agency_notes)
    source = _source(item, article, url, reasons)
    if kind.topics:
        reasons["topics"] = data.reason("topics_suggested")
    reasons["summary"] = data.reason("summary_from_lead")
    meta: dict[str, Any] = {
        "id": entry_id(event or (when.published.date() if when.published else None), title),
        "title": title,
        "date": event,
        "published": compose.published_value(when.published),
        "added": compose.today(),
        "dateline": place.dateline,
        "province": place.province.name if place.province else None,
        "regency": place.regency.name if place.regency else None,
        "election": election,
        "stage": stage,
        "topics": kind.topics,
        "agencies": agency_names,
        "officials": [{k: v for k, v in vars(o).items() if v} for o in officials.people],
        "figures": {k: v for k, v in (("personnel", numbers.personnel), ("budget_idr", numbers.budget_idr)) if v},
        "source": source,
        "summary": compose.summary_from_lead(article.lead, second),
    }
    for field in hints.given():  # a hint is never flagged
        reasons.pop(field, None)
    if hints.url:
        reasons.pop("source.url", None)
    return compose.finish(item.name, meta, compose.markdown_body(article.paragraphs), reasons, ref, notes=notes)


def _article(item: Input, gaz: Gazetteer) -> clean.Article:
    """The cleaned article of an input; DigestError when it holds no election news."""
    if item.is_html:
        page = html.extract(item.name, item.raw)
        article = clean.clean(item.name, page.text, gaz, title=page.title, site=page.site, author=page.author,
                              url=page.url, published=page.date)
    else:
        article = clean.clean(item.name, item.text, gaz)
    words = sum(len(p.split()) for p in article.paragraphs)
    if words < MIN_WORDS:
        raise DigestError(Problem(item.name, 0, f"no article text is left once page furniture is removed "
                                                f"({words} words)"))
    if not classify.about_elections(article.body_text):
        raise DigestError(Problem(item.name, 0, "not about the 2024 elections: the text names no election, "
                                                "election body or voting term"))
    return article


def _place_hints(place: places.Place, hints: Hints, notes: list[str]) -> None:
    """The editor's kab/kota wins (its province came with it); where the text says otherwise, a note."""
    if hints.province and place.text_province and place.text_province != hints.province:
        notes.append(data.reason("hint_contradicted", field="province", hint=hints.province.name,
                                 found=place.text_province.name))
    if hints.regency:
        if place.regency and place.regency != hints.regency:
            notes.append(data.reason("hint_contradicted", field="regency", hint=hints.regency.name,
                                     found=place.regency.name))
        place.regency = hints.regency
        place.reasons.pop("regency", None)


def _address(url: str) -> str:
    """A page's own address when the schema would take it (a canonical link may be relative or broken)."""
    try:
        return address(url) if url else ""
    except ValueError:
        return ""


def _voting_day(opening: str, election: str, ref: RefData, reasons: dict[str, str]) -> dt.date | None:
    """A voting-day story dated only by its weekday ("Rabu"): the election's voting day when it
    falls on that weekday (27 November 2024 was a Rabu)."""
    window = ref.stage_window("pemungutan", election)
    if window is None or not dates.on_weekday(opening, window[0]):
        return None
    reasons.pop("date", None)
    return window[0]


def _hinted(hint: Any, found: Any, field: str, notes: list[str]) -> Any:
    """The hint when there is one (a contradiction noted), else what was found. A hinted field is
    never flagged: ingest() drops the review reason of every field the hints give."""
    if not hint:
        return found
    if found and found != hint:
        notes.append(data.reason("hint_contradicted", field=field, hint=hint, found=found))
    return hint


def _regional_edition(outlet: str, url: str) -> str:
    """The address's host when it is a regional sub-domain of the outlet's site ("aceh.antaranews.com"
    for ANTARA), else ""."""
    host = urlsplit(url).hostname or ""
    labels = host.removeprefix("www.").split(".")
    first = outlet.split(maxsplit=1)[0].lower() if outlet.split() else ""
    if len(labels) > 2 and first and first in labels[1] and labels[0] != first:
        return host
    return ""


def _source(item: Input, article: clean.Article, url: str, reasons: dict[str, str]) -> dict[str, str]:
    """Outlet, address and author; an outlet or address the text does not give is flagged."""
    dateline_outlet = article.dateline.outlet if article.dateline else ""
    credited = next((o for c in article.credits if (o := clean.credit_outlet(c))), "")
    # a saved page names its site in its metadata; a copied text in its dateline or credits
    outlet = article.site if item.is_html and article.site else dateline_outlet or article.site or credited
    if not outlet:
        press = next((c for c in article.credits if clean.is_press_release([c])), "")
        reasons["source.outlet"] = data.reason("outlet_press_release" if press else "outlet_none", credit=press)
    elif clean.is_web_address(outlet):
        reasons["source.outlet"] = data.reason("outlet_address", outlet=outlet)
    elif edition := _regional_edition(outlet, url):
        reasons["source.outlet"] = data.reason("outlet_edition", outlet=outlet, edition=edition)
    if not url:
        reasons["source.url"] = data.reason("url_none")
    return {k: v for k, v in (("outlet", outlet), ("url", url), ("author", article.author)) if v}
