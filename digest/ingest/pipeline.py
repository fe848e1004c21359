"""One raw article -> one validated Draft: read, clean, analyse, compose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from digest.errors import DigestError, Problem
from digest.ingest import agencies, classify, clean, compose, dates, figures, html, people, places
from digest.ingest.source import Input
from digest.refdata import RefData, load

MIN_WORDS = 6  # fewer words than a lead sentence is not an article


def ingest(item: Input, *, published: dt.datetime | None = None, url: str = "",
           ref: RefData | None = None) -> compose.Draft:
    """The entry for one input; DigestError with one-line problems when none can be made."""
    ref = ref or load()
    if item.is_html:
        page = html.extract(item.name, item.raw)
        article = clean.clean(item.name, page.text, title=page.title, site=page.site, author=page.author,
                              url=page.url, published=page.date)
    else:
        article = clean.clean(item.name, item.text)
    words = sum(len(p.split()) for p in article.paragraphs)
    if words < MIN_WORDS:
        raise DigestError(Problem(item.name, 0, f"no article text is left once page furniture is removed "
                                                f"({words} words)"))
    url = url or article.url
    second = article.paragraphs[1] if len(article.paragraphs) > 1 else ""
    rest = "\n\n".join(article.paragraphs[2:])
    text = article.body_text
    lead_end = len(article.headline) + len(article.lead) + len(second) + 6
    masked = places.mask(text)
    mentions = agencies.finder().find(masked)
    when = dates.resolve(f"{article.lead}\n\n{second}", rest, article.header_dates, article.published_meta,
                         published)
    place = places.decide(article, masked, lead_end, mentions, url)
    if place.province is None:
        raise DigestError(Problem(item.name, 0, f"cannot tell the province: {place.reasons['province']}"))
    if when.event is None:
        raise DigestError(Problem(item.name, 0, f"cannot tell the date: {when.reasons['date']} "
                                                "(give the publication date with --published)"))
    kind = classify.classify((article.headline, f"{article.lead}\n\n{second}", rest), when.event, ref)
    officials = people.find(masked, mentions, place.province, start=len(article.headline))
    agency_names, agency_notes = agencies.listing(mentions, place.province)
    numbers = figures.find(text)

    reasons: dict[str, str] = {**when.reasons, **place.reasons, **kind.reasons, **numbers.reasons}
    title = article.headline
    if not title:
        title = compose.headline_from_lead(article.lead)
        reasons["title"] = "the text has no headline; this one is written from the lead"
    if officials.notes:
        reasons["officials"] = "; ".join(dict.fromkeys(officials.notes))
    if agency_notes:
        reasons["agencies"] = "; ".join(agency_notes)
    source = _source(item, article, url, reasons)
    if kind.topics:
        reasons["topics"] = "suggested from keywords; topics are an editor's choice"
    reasons["summary"] = "the lead sentence(s) of the article, not yet a summary in the digest's words"
    meta: dict[str, Any] = {
        "id": compose.entry_id(when.event, title),
        "title": title,
        "date": when.event,
        "published": compose.published_value(when.published),
        "dateline": place.dateline,
        "province": place.province.name,
        "regency": place.regency.name if place.regency else None,
        "election": kind.election,
        "stage": kind.stage,
        "topics": kind.topics,
        "agencies": agency_names,
        "officials": [{k: v for k, v in vars(o).items() if v} for o in officials.people],
        "figures": {k: v for k, v in (("personnel", numbers.personnel), ("budget_idr", numbers.budget_idr)) if v},
        "source": source,
        "summary": compose.summary_from_lead(article.lead, second),
    }
    return compose.finish(item.name, meta, compose.markdown_body(article.paragraphs), reasons, ref)


def _source(item: Input, article: clean.Article, url: str, reasons: dict[str, str]) -> dict[str, str]:
    """Outlet, address and author; an outlet or address the text does not give is flagged."""
    dateline_outlet = article.dateline.outlet if article.dateline else ""
    credited = next((o for c in article.credits if (o := clean.credit_outlet(c))), "")
    if item.is_html and article.site:
        outlet = article.site
    else:
        outlet = dateline_outlet or article.site or credited
    if not outlet:
        press = next((c for c in article.credits if clean.is_press_release([c])), "")
        reasons["source.outlet"] = "no outlet is named in the text" + (
            f"; the closing credit '({press})' marks a press release" if press else "")
    if not url:
        reasons["source.url"] = "the text carries no source address; give it with --url"
    return {k: v for k, v in (("outlet", outlet), ("url", url), ("author", article.author)) if v}
