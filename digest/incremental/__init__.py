"""Incremental builds: what the last build left (entries, pages, file digests, fingerprints, the
kept model), which outputs to render again and why, the quick path, and the process pool."""
