"""Election, stage and topic tags of a story, by the rules of pemilu-stages.md section 5.

1. The election first: pilkada cues beat pemilu cues; a phrase naming both together decides
   nothing, and the date decides (flagged).
2. The stage with the strongest keyword evidence, headline and lead first; rakor, MoU and
   silaturahmi stories are `persiapan` and post-election reviews `lintas-tahapan` whatever the date.
3. The calendar window of the chosen election only when the text gives no stage (flagged).
Keywords and weights are in stage_keywords.yaml and topics.yaml.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from digest.ingest import data
from digest.ingest.text import WORD_START
from digest.reference.refdata import RefData

ZONE_FACTORS = (3, 2, 1)  # headline, first two paragraphs, the rest
BODY_CAP = 3  # hits of one keyword counted in the rest of the body
CLEAR_CUES = 3  # this many cues of one election, and none of the other, settle it whatever the date


@dataclass
class Classification:
    election: str = ""
    stage: str = ""
    topics: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # "election" / "stage" -> one line


@dataclass(frozen=True)
class _Keywords:
    """One alternation of weighted patterns; group g<i> is pattern i."""

    regex: re.Pattern
    labels: tuple[tuple[str, float], ...]  # (tag, weight) per group

    def by_zone(self, zones: tuple[str, str, str]) -> list[Counter]:
        """Weighted hits per tag in each zone (headline, first two paragraphs, the rest)."""
        out = []
        for factor, text in zip(ZONE_FACTORS, zones, strict=True):
            hits: Counter = Counter()
            for m in self.regex.finditer(text):
                if m.lastgroup:  # always: every alternative is a named group g<i>
                    hits[int(m.lastgroup[1:])] += 1
            zone: Counter = Counter()
            for group, n in hits.items():
                tag, weight = self.labels[group]
                zone[tag] += weight * factor * (min(n, BODY_CAP) if factor == 1 else n)
            out.append(zone)
        return out

    def scores(self, zones: tuple[str, str, str]) -> Counter:
        return sum(self.by_zone(zones), Counter())


def _keywords(pairs: list[tuple[str, str, float]]) -> _Keywords:
    """Compile (tag, pattern, weight) triples, most specific (longest) pattern first."""
    pairs = sorted(pairs, key=lambda p: len(p[1]), reverse=True)
    alternatives = "|".join(f"(?P<g{i}>{p})" for i, (_, p, _) in enumerate(pairs))
    regex = re.compile(rf"{WORD_START}(?:{alternatives})", re.IGNORECASE)
    return _Keywords(regex, tuple((tag, weight) for tag, _, weight in pairs))


@functools.cache
def _stage_keywords() -> _Keywords:
    spec = data.read("stage_keywords")["stages"]
    return _keywords([(stage, p, float(w)) for stage, items in spec.items() for p, w in items])


@functools.cache
def _topic_keywords() -> _Keywords:
    return _keywords([(topic, p, 1.0) for topic, pats in data.read("topics").items() for p in pats])


@functools.cache
def _election_regexes() -> dict[str, re.Pattern]:
    spec = data.read("stage_keywords")["election"]
    return {k: re.compile("|".join(f"\\b(?:{p})\\b" for p in v), re.IGNORECASE) for k, v in spec.items()}


@functools.cache
def _overrides() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((o["stage"], re.compile("|".join(f"\\b(?:{p})" for p in o["when"]), re.IGNORECASE))
                 for o in data.read("stage_keywords")["overrides"])


def classify(zones: tuple[str, str, str], date: dt.date | None, ref: RefData, election: str = "") -> Classification:
    """Classify a story from its (headline, first two paragraphs, rest of the body) text; a given
    `election` (an editor's hint) picks the calendar the stage falls back on."""
    out = Classification()
    out.election = _election(" ".join(zones), date, out)
    out.stage = _stage(zones, election or out.election, date, ref, out)
    topics = _topic_keywords().scores(zones)
    out.topics = [t for t, s in sorted(topics.items(), key=lambda i: (-i[1], i[0])) if s >= 2][:5]
    return out


@functools.cache
def _relevance() -> re.Pattern:
    return re.compile(rf"{WORD_START}(?:{'|'.join(data.read('stage_keywords')['about_elections'])})",
                      re.IGNORECASE)


def about_elections(text: str) -> bool:
    """True when a text names an election, an election body, a voting term or a stage keyword
    (a rakor, an apel): anything else is not for this digest."""
    return _relevance().search(text) is not None or _stage_keywords().regex.search(text) is not None


@functools.cache
def pilkada_after() -> dt.date:
    """After this day (the Pilpres result) a story with no election cue is probably Pilkada."""
    return dt.date.fromisoformat(str(data.read("stage_keywords")["pilkada_after"]))


def election_by_date(day: dt.date | None) -> str:
    """Taxonomy rule 1 without text cues: the election a story of that day most likely concerns."""
    return "pilkada-2024" if day and day > pilkada_after() else "pemilu-2024"


def _election(text: str, date: dt.date | None, out: Classification) -> str:
    regexes = _election_regexes()
    by_date = election_by_date(date)
    pairs = list(regexes["both"].finditer(text))
    outside = regexes["both"].sub(" ", text)
    pilkada = len(regexes["pilkada-2024"].findall(outside))
    pemilu = len(regexes["pemilu-2024"].findall(outside))
    if pilkada:
        if pemilu > 2 * pilkada and by_date == "pemilu-2024":
            out.reasons["election"] = data.reason("election_pemilu_outnumbers", pemilu=pemilu, pilkada=pilkada,
                                                  after=pilkada_after())
            return "pemilu-2024"
        if pemilu > 2 * pilkada:
            out.reasons["election"] = data.reason("election_mostly_pemilu", pemilu=pemilu, pilkada=pilkada)
        return "pilkada-2024"
    if pairs:
        out.reasons["election"] = data.reason("election_both_named", words=pairs[0].group(), election=by_date)
        return by_date
    if pemilu:
        if by_date == "pilkada-2024" and pemilu < CLEAR_CUES:
            out.reasons["election"] = data.reason("election_late_pemilu", after=pilkada_after())
        return "pemilu-2024"
    out.reasons["election"] = data.reason("election_none", election=by_date)
    return by_date


def _stage(zones: tuple[str, str, str], election: str, date: dt.date | None, ref: RefData,
           out: Classification) -> str:
    rules = data.read("stage_keywords")
    per_zone = _stage_keywords().by_zone(zones)
    scores = sum(per_zone, Counter())
    opening = f"{zones[0]}\n{zones[1]}"
    for stage, regex in _overrides():
        m = regex.search(opening)
        if m:
            rival, rival_score = max(((s, v) for s, v in scores.items() if s != stage), key=lambda i: i[1],
                                     default=("", 0))
            if rival_score >= max(2 * scores[stage], rules["settle_score"]):
                out.reasons["stage"] = data.reason("stage_override", words=m.group(), stage=stage, rival=rival,
                                                   rival_score=rival_score, score=scores[stage])
            return stage
    ranked = scores.most_common(2)
    best, score = ranked[0] if ranked else ("", 0)
    if best and score >= rules["min_score"]:
        runner_up, second = ranked[1] if len(ranked) > 1 else ("", 0)
        heading = (per_zone[0] + per_zone[1]).most_common(1)
        lead_stage, lead_score = heading[0] if heading else ("", 0)
        if (second and score < rules["settle_score"]) or score < rules["settle_ratio"] * second:
            out.reasons["stage"] = data.reason("stage_unclear_next" if second else "stage_unclear", stage=best,
                                               score=score, next=runner_up, next_score=second)
        elif lead_stage and lead_stage != best and lead_score >= rules["min_score"]:
            out.reasons["stage"] = data.reason("stage_lead_differs", lead_stage=lead_stage, lead_score=lead_score,
                                               stage=best, score=score)
        return _in_season(best, scores, election, date, ref=ref, out=out)
    return _by_calendar(election, date, ref, out)


def _in_season(best: str, scores: Counter, election: str, date: dt.date | None, *, ref: RefData,
               out: Classification) -> str:
    """A stage whose window lies far from the story's date is doubtful ("rapat pleno" in September
    is a KPU plenary on the candidates' numbers, not the tabulation): the best-scoring stage whose
    window holds the date is taken instead when its keywords are enough to name a stage, and either
    way the stage is flagged."""
    unsure = tuple(ref.elections) if "election" in out.reasons else (election,)  # a flagged election may be misread
    if date is None or any(_near_window(best, e, date, ref) for e in unsure):
        return best
    least = data.read("stage_keywords")["min_score"]
    fits = [s for s, v in scores.most_common() if v >= least and s != best and _near_window(s, election, date, ref)]
    window = ref.stage_window(best, election)
    start, end = window or ("", "")
    why = data.reason("stage_out_of_window_span" if window else "stage_out_of_window", stage=best, date=date,
                      start=start, end=end)
    if fits:
        out.reasons["stage"] = data.reason("stage_fits_date", why=why, fit=fits[0], fit_score=scores[fits[0]],
                                           score=scores[best])
        return fits[0]
    out.reasons["stage"] = why
    return best


def _near_window(stage: str, election: str, date: dt.date, ref: RefData) -> bool:
    """Whether the date lies within the stage's window of that election, give or take the slack
    of stage_keywords.yaml (stories look ahead a little); a stage without a window fits any date,
    and one with an approximate end (the re-votes that rulings order) any date from when its news
    starts: a dispute or an oath is never news months before voting."""
    window = ref.stage_window(stage, election)
    if window is None:
        return True
    if election in ref.stages[stage].approximate:
        return window[0] - dt.timedelta(days=ref.stages[stage].news_lead_days) <= date
    slack = dt.timedelta(days=data.read("stage_keywords")["window_slack_days"])
    return window[0] - slack <= date <= window[1] + slack


def _by_calendar(election: str, date: dt.date | None, ref: RefData, out: Classification) -> str:
    """Rule 3: the stage whose window of the chosen election holds the date."""
    for stage in ref.stages.values():
        window = stage.windows.get(election)
        if date and window and window[0] <= date <= window[1]:
            out.reasons["stage"] = data.reason("stage_by_calendar", date=date, label=stage.label, election=election)
            return stage.slug
    out.reasons["stage"] = data.reason("stage_none")
    return "lintas-tahapan"
