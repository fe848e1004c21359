"""`digest ingest`: raw news articles (copied text or saved pages) -> content entries.

Data flows one way: source (read input) -> html (saved pages only) -> clean (article text and
header) -> the analyses (dates, places, people, classify), each reading only the cleaned article
-> compose (front matter, review reasons, validation) -> write. Domain words live in
digest/data/*.yaml, read through `digest.ingest.data`.
"""
