"""Share cards per second, on the headlines and details of the generated corpus.

Times drawing and encoding apart (CPU time, `time.process_time`, so other work on a shared machine
counts less), and prints the median cost of a card and the files' sizes.

    python -m benchmarks.cards --cards 300 --rounds 5
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks import generate
from digest.reference.refdata import load
from digest.site import formatting, shareimage

TITLE = "Digest Keamanan Pemilu"
DESCRIPTION = "Berita pengamanan Pemilu dan Pilkada 2024 dari Polda, Polres, KPU, Bawaslu dan pemerintah daerah."


def corpus_cards(n: int) -> list[shareimage.Card]:
    """Article cards as a build draws them, from entries 0..n-1 of the benchmark corpus."""
    stages = {slug: stage.label for slug, stage in load().stages.items()}
    found = []
    for i in range(n):
        meta, _ = generate.entry(i)
        elections = meta["election"] if isinstance(meta["election"], list) else [meta["election"]]
        found.append(shareimage.Card("Berita", meta["title"], (
            f"{formatting.long_date(meta['date'])} · {meta['regency']}, {meta['province']}",
            f"{stages[meta['stage']]} · {', '.join(e.replace('-', ' ').title() for e in elections)}")))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cards = corpus_cards(args.cards)
    painter = shareimage.Painter(TITLE, DESCRIPTION)
    painter.card(cards[0])  # fonts and glyphs loaded, as in a build's first card
    per_round = []
    for _ in range(args.rounds):
        start = time.process_time()
        sizes = [len(painter.card(card)) for card in cards]
        per_round.append((time.process_time() - start) / len(cards))
    median = statistics.median(per_round)
    print(f"{median * 1000:.3f} ms a card (median of {args.rounds} rounds of {len(cards)}; rounds "
          f"{', '.join(f'{r * 1000:.3f}' for r in per_round)}), {1 / median:.0f} cards/s; "
          f"size mean {statistics.mean(sizes) / 1000:.1f} KB, max {max(sizes) / 1000:.1f} KB")


if __name__ == "__main__":
    main()
