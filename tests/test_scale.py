"""What a build of a national archive (100,000 entries) needs beyond a bigger machine.

A build keeps every content file's bytes until it has parsed them. Read into a buffer as big as
the size limit and shrunk, each stayed a memory mapping of its own (glibc), and 100,000 entries
exceeded the kernel's vm.max_map_count: the build died with "failed to map segment from shared
object". Reading a file sized by its stat keeps them in the ordinary heap.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.content.loader import find_files, read_bytes

MAPS = Path("/proc/self/maps")


def _mappings() -> int:
    return len(MAPS.read_text().splitlines())


@pytest.mark.skipif(not MAPS.exists(), reason="needs Linux's /proc")
def test_files_read_and_kept_take_no_memory_mapping_each(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    body = "Petugas PPK mengawal distribusi logistik pemilu ke setiap kecamatan. " * 70  # an entry's size
    for i in range(3000):
        (content / f"berita-{i}.md").write_text(f"---\nid: berita-{i}\n---\n{body}", encoding="utf-8")
    before = _mappings()
    kept = [read_bytes(src, None) for src in find_files(content)]
    assert len(kept) == 3000 and all(data.endswith(body.encode()) for data in kept)
    assert _mappings() - before < 300  # was one per file
