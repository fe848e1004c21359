"""Reference data: the provinces, kab/kota, elections and stages of digest/data/, read once. The
lowest layer above errors, beside urls.py: it imports nothing else of digest."""
