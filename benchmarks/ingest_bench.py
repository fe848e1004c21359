"""Ingest throughput: generate N synthetic raw articles as .txt and as saved .html pages in a
temporary folder, then run what `digest ingest --dry-run` runs on each (read, extract, clean,
analyse, compose, validate) in-process, and print articles per second for both forms.

    python benchmarks/ingest_bench.py [-n 500] [--seed 2024]

The one-off start-up (reference data, gazetteer, trafilatura import) is timed apart.
"""

from __future__ import annotations

import argparse
import html
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest.ingest import pipeline, source  # noqa: E402
from digest.reference.refdata import load  # noqa: E402

UNITS = ["Polres {b}", "Polresta {b}", "Polres {b} Kota", "Polda {p}"]
RANKS = ["AKBP", "Kombes Pol", "Irjen Pol", "Brigjen Pol", "Kompol"]
NAMES = ["Andi Rian", "Budi Santoso", "Made Wirawan", "Yohanes Kambu", "Teuku Fadli", "Heri Purnomo",
         "La Ode Hasan", "Ketut Sudira", "Dewi Lestari", "Siti Rahmawati"]
LEADS = [
    "menggelar rapat koordinasi pengamanan Pemilu 2024 bersama KPU {r} dan Bawaslu",
    "mengawal distribusi logistik Pemilu 2024 dari gudang KPU {r} ke seluruh PPK",
    "menyiagakan {n} personel untuk pengamanan pemungutan suara di TPS wilayah {r}",
    "mengamankan rapat pleno rekapitulasi suara tingkat {r}",
    "menertibkan alat peraga kampanye pada masa tenang Pilkada 2024 di {r}",
    "mengawal kampanye terbuka pasangan calon Pilkada 2024 di {r}",
]
DATES = ["Senin (16/10/2023)", "Selasa (19/03)", "Rabu (14/2/2024)", "Senin, 25 September 2023",
         "Kamis (21/11/2024)", "Jumat (8/12/2023)"]
BODY = [
    "Kegiatan dihadiri unsur Forkopimda, TNI, Satpol PP dan Kesbangpol setempat.",
    "Petugas memastikan setiap tahapan berjalan aman, tertib dan lancar.",
    "Warga diimbau tidak terprovokasi kabar bohong di media sosial selama tahapan pemilu.",
    "Patroli gabungan juga digelar di titik-titik yang dinilai rawan gangguan keamanan.",
    "Koordinasi dengan penyelenggara pemilu terus dilakukan hingga tingkat kecamatan.",
]


def article(i: int, rng: random.Random) -> tuple[str, str]:
    """(headline, raw text) of one synthetic article, with page furniture."""
    ref = load()
    regency = rng.choice(ref.regencies)
    province = ref.province_by_code[regency.province_code]
    unit = rng.choice(UNITS).format(b=regency.bare, p=province.name)
    lead = rng.choice(LEADS).format(r=regency.name, n=rng.randrange(50, 5000))
    headline = f"{unit} {lead.split(' ', 1)[1][:60].rsplit(' ', 1)[0].title()}"
    other = rng.choice(ref.regencies)
    lines = [
        headline,
        f"{regency.bare.upper()}, Contoh{i % 7}.com - {unit} {lead}, {rng.choice(DATES)}.",
        f"Baca juga: Polres {other.bare} Siagakan Personel Jelang Pencoblosan",
        f"Kapolres {regency.bare} {rng.choice(RANKS)} {rng.choice(NAMES)} mengatakan pihaknya siap mengamankan "
        "seluruh tahapan.",
        *rng.sample(BODY, 3),
        "Cek Berita dan Artikel yang lain di Google News",
        f"Penulis: {rng.choice(NAMES)}",
    ]
    return headline, "\n\n".join(lines) + "\n"


def page(headline: str, text: str, i: int) -> str:
    """The same article as a saved news page with menus, related links and a footer."""
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n")[1:] if p.strip())
    return ("<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(headline)} - Contoh</title>"
            f"<meta property=\"og:title\" content=\"{html.escape(headline)}\">"
            "<meta property=\"og:site_name\" content=\"Contoh News\">"
            "<meta property=\"article:published_time\" content=\"2024-02-14T10:00:00+07:00\">"
            f"<link rel=\"canonical\" href=\"https://contoh.example/berita/{i}\"></head><body>"
            "<nav><a href=\"/\">Beranda</a> <a href=\"/daerah\">Daerah</a> <a href=\"/politik\">Politik</a></nav>"
            f"<article><h1>{html.escape(headline)}</h1>{paragraphs}</article>"
            "<aside><h3>Berita Terkait</h3><ul><li><a href=\"/1\">KPU Sortir Surat Suara</a></li></ul></aside>"
            "<footer>Copyright 2024 Contoh News | Pedoman Media Siber</footer></body></html>")


def run(files: list[Path]) -> tuple[float, int]:
    """Seconds to ingest every file as `--dry-run` would, and how many made an entry."""
    made = 0
    start = time.perf_counter()
    for path in files:
        try:
            pipeline.ingest(source.read(str(path), path), ref=load())
            made += 1
        except Exception as exc:  # a benchmark reports, it does not stop
            print(f"  {path.name}: {exc}", file=sys.stderr)
    return time.perf_counter() - start, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=500, help="articles per form (default 500)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        txt, htm = [], []
        for i in range(args.n):
            headline, text = article(i, rng)
            (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
            (folder / f"{i:05d}.html").write_text(page(headline, text, i), encoding="utf-8")
            txt.append(folder / f"{i:05d}.txt")
            htm.append(folder / f"{i:05d}.html")
        start = time.perf_counter()
        pipeline.ingest(source.read(str(txt[0]), txt[0]), ref=load())
        pipeline.ingest(source.read(str(htm[0]), htm[0]), ref=load())
        print(f"start-up (reference data, gazetteer, trafilatura import): {time.perf_counter() - start:.2f} s")
        for label, files in (("txt", txt), ("html", htm)):
            seconds, made = run(files)
            print(f"{label:4}: {len(files)} articles in {seconds:.2f} s = {len(files) / seconds:,.0f} articles/s "
                  f"({made} entries made)")


if __name__ == "__main__":
    main()
