"""Bounded fuzz run of the ingest text analysis: many random and half-realistic articles, each
must give an entry that validates or one-line errors, never an exception.

    python benchmarks/fuzz_ingest.py --examples 20000 --seconds 600

The same strategies run (fewer examples) in tests/test_ingest_properties.py on every CI run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from digest.errors import DigestError  # noqa: E402
from digest.ingest.compose import INVALID  # noqa: E402
from digest.ingest.pipeline import ingest  # noqa: E402
from digest.ingest.source import Input  # noqa: E402
from digest.reference.refdata import load  # noqa: E402
from tests.ingest_fuzz import mixed  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=300)
    args = parser.parse_args()
    ref = load()
    stats = {"entries": 0, "refused": 0}
    deadline = time.monotonic() + args.seconds

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(mixed)
    def one(text: str) -> None:
        if time.monotonic() > deadline:
            return
        try:
            draft = ingest(Input("fuzz.txt", text, is_html=False), ref=ref)
        except DigestError as exc:  # a refusal; a draft failing the schema would be a bug (compose.finish)
            assert all("\n" not in p.message and not p.message.startswith(INVALID) for p in exc.problems)
            stats["refused"] += 1
            return
        for field in ("date", "province", "election", "stage"):  # settled, or empty in a flagged draft
            assert draft.meta[field] or (field in draft.missing and field in draft.meta["review"])
        stats["entries"] += 1

    start = time.monotonic()
    one()
    print(f"{stats['entries'] + stats['refused']} inputs in {time.monotonic() - start:.0f} s: "
          f"{stats['entries']} entries, {stats['refused']} refused with a clear error, 0 crashes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
