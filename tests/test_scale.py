"""What a build of a national archive (100,000 entries) needs beyond a bigger machine.

What the kept site model stores for each page must not grow with the site: a listing page that
held its whole listing made the model grow with the square of the listing's length.

A build keeps every content file's bytes until it has parsed them. Read into a buffer as big as
the size limit and shrunk, each stayed a memory mapping of its own (glibc), and 100,000 entries
exceeded the kernel's vm.max_map_count: the build died with "failed to map segment from shared
object". Reading a file sized by its stat keeps them in the ordinary heap.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from digest import urls
from digest.content.loader import find_files, read_bytes
from digest.incremental.cachedir import CacheDir
from digest.output import cache
from tests.corpus import edit_entry
from tests.sitetools import listed_entries, output_key
from tests.test_incremental import Project

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


def _kept_bytes(project: Project, url: str) -> int:
    """Bytes the kept site model (incremental/pagestore.py) stores for the page at `url`."""
    cache_dir = CacheDir(project.root / ".digest-cache")
    state = cache_dir.state(project.root / "site")
    assert state is not None and state.model_kept
    stored: dict[str, bytes] = {}
    for shard in (cache_dir.model_folder(project.root / "site", state.structure) / "jobs").iterdir():
        stored.update(cache.read(shard, cache_dir.key))
    return len(stored[output_key(url)])


def _keep_model(project: Project, edited: Path) -> None:
    """Build, then build an edit that moves nothing: the second build keeps the site model."""
    project.build()
    edit_entry(edited, "\nKoreksi redaksi.\n")
    project.build()


def test_a_kept_listing_page_does_not_grow_with_its_listing(tmp_path):
    """A national archive's Pemilu 2024 listing has thousands of pages; what the kept model stores
    for each of them must not hold the whole listing (it held every page's URL: 1.2 GB of model
    at 100,000 entries). Page 1 of the listing, showing the same newest entries, is stored in the
    same bytes whether older entries make the listing 15 pages long or 75."""
    project = Project(tmp_path, n=30)
    project.settings.update(items_per_page=2)
    project.write_settings()
    listing = urls.election("pemilu-2024")
    _keep_model(project, project.files()[3])
    short_pages = -(-len(listed_entries(project.root / "site", listing)) // 2)
    short = _kept_bytes(project, listing)

    first = project.files()[0]
    meta = yaml.safe_load(first.read_text(encoding="utf-8").split("---\n")[1])
    for i in range(120):  # older than every entry of the corpus, so page 1 keeps its entries
        older = first.with_name(f"arsip-{i:03d}.md")
        shutil.copyfile(first, older)
        edit_entry(older, id=f"arsip-{i:03d}", election="pemilu-2024", title=f"Arsip pengamanan {i}",
                   date=dt.date(2023, 1, 1) + dt.timedelta(days=i % 90),
                   source={**meta["source"], "url": f"https://contoh.example/arsip/{i}"})
    _keep_model(project, project.files()[3])
    long_pages = -(-len(listed_entries(project.root / "site", listing)) // 2)
    assert long_pages - short_pages >= 55
    assert abs(_kept_bytes(project, listing) - short) <= 4  # the page count and entry count, as numbers
