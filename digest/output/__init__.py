"""Output: bytes to disk. Atomic writes, the signed cache files (cache.py), the output tree with
its atomic swap, the Pagefind index, deploy. Imports config, urls, reference/ and errors, never a page
or the model."""
