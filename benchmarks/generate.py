"""A deterministic synthetic digest corpus for benchmarks: N entries, 400-700-word bodies.

Every entry depends only on (seed, index), so the first 1,000 entries of a 10,000 corpus are the
1,000 corpus, and a benchmark run can regenerate any entry exactly (e.g. to edit one).
Entries cover all 38 provinces, all 10 stages, both elections and about 20 months, with the front
matter an editor writes (regency, officials, figures, source, summary) and bodies that use the
Markdown an editor uses (paragraphs, emphasis, links, a list, a sub-heading, a quote).

    python -m benchmarks.generate 10000 /tmp/bench/content
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from digest.reference.refdata import load

SEED = 2024
START = dt.date(2023, 1, 1)
DAYS = 640  # through September 2024
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 10x faster, same text

SUBJECTS = ["Kapolres", "Kapolda", "Ketua KPU", "Ketua Bawaslu", "Dandim", "Pj Bupati", "Pj Wali Kota",
            "Kasat Intelkam", "Kabag Ops", "Personel gabungan", "Petugas PPK", "Anggota PPS", "Satgas Pemilu",
            "Tim patroli", "Forkopimda", "Panwascam", "Kesbangpol", "Satpol PP"]
VERBS = ["mengamankan", "memastikan", "mengawal", "menggelar", "meninjau", "memeriksa", "menyiagakan",
         "mengoordinasikan", "memetakan", "mengingatkan", "mengimbau", "mendampingi", "menertibkan",
         "melaporkan", "menyosialisasikan", "mengevaluasi"]
OBJECTS = ["distribusi logistik pemilu", "kotak suara yang sudah tersegel", "rapat pleno rekapitulasi",
           "titik rawan di setiap kecamatan", "gudang penyimpanan surat suara", "jalur distribusi ke pulau terluar",
           "tempat pemungutan suara", "kampanye terbuka di lapangan kota", "alat peraga kampanye",
           "netralitas aparatur sipil negara", "situasi kamtibmas menjelang hari pemungutan",
           "pengawalan formulir C hasil", "simulasi sistem pengamanan kota", "pemutakhiran data pemilih",
           "debat publik pasangan calon", "patroli skala besar bersama TNI"]
TAILS = ["agar seluruh tahapan berjalan aman dan kondusif", "sesuai arahan pimpinan", "sejak pagi hari",
         "bersama unsur TNI dan pemerintah daerah", "dengan melibatkan tokoh agama dan tokoh masyarakat",
         "hingga seluruh logistik tiba di tujuan", "tanpa kendala berarti", "di tengah cuaca yang tidak menentu",
         "demi menjaga kepercayaan publik", "sebagaimana diatur dalam peraturan KPU"]
QUOTES = ["Kami pastikan setiap tahapan berjalan aman, jujur, dan adil.",
          "Jangan mudah terprovokasi kabar bohong di media sosial.",
          "Netralitas aparat adalah harga mati dalam pemilu ini.",
          "Seluruh personel sudah kami siagakan sampai proses selesai."]
TOPICS = ["koordinasi", "logistik", "patroli", "netralitas", "hoaks", "rekapitulasi", "distribusi", "apel",
          "kampanye", "pemungutan", "sengketa", "pelantikan"]
OUTLETS = ["Antara", "Kompas.com", "Detik", "Tribun", "Tempo", "Liputan6", "Radar", "BANGSAONLINE.com"]
AGENCIES = ["KPU", "Bawaslu", "Polda", "Polres", "Kodim", "Korem", "Satpol PP", "Kesbangpol", "Forkopimda",
            "Kejaksaan Negeri", "Pemda"]
RANKS = [("AKBP", "Kapolres"), ("Kombes Pol", "Kapolresta"), ("Irjen Pol", "Kapolda"),
         ("Letkol Inf", "Dandim"), ("", "Ketua KPU"), ("", "Ketua Bawaslu"), ("", "Pj Bupati")]
NAMES = ["Andi Rian", "Siti Rahmawati", "Budi Santoso", "Made Wirawan", "Yohanes Kambu", "Teuku Fadli",
         "Dewi Lestari", "Heri Purnomo", "Oskar Syamsuddin", "Nurhayati", "La Ode Hasan", "Ketut Sudira",
         "Rudi Hartono", "Fransiskus Lado", "Agus Salim", "Maria Ulfa"]


@dataclass(frozen=True)
class Item:
    """One written entry, for the Hugo and Pelican exports of the same corpus."""

    meta: dict
    body: str
    path: Path


def _sentence(rng: random.Random) -> str:
    thing = rng.choice(OBJECTS)
    if rng.random() < 0.04:
        thing = f"**{thing}**"
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {thing} {rng.choice(TAILS)}."


def _paragraph(rng: random.Random, words: list[int]) -> str:
    sentences = []
    while len(sentences) < 3 or rng.random() < 0.6:
        sentences.append(_sentence(rng))
    if rng.random() < 0.1:
        sentences.append(f"Menurut *{rng.choice(OUTLETS)}*, kegiatan serupa juga digelar di [wilayah lain]"
                         f"(https://contoh.example/berita/{rng.randrange(10**6)}).")
    words[0] += sum(len(s.split()) for s in sentences)
    return " ".join(sentences)


def body(rng: random.Random) -> str:
    """400-700 words of Indonesian-like Markdown."""
    target = rng.randrange(400, 701)
    words = [0]
    blocks: list[str] = []
    while words[0] < target:
        roll = rng.random()
        if roll < 0.04 and blocks:
            blocks.append(f"## {rng.choice(OBJECTS).capitalize()}")
        elif roll < 0.08:
            blocks.append("\n".join(f"- {rng.choice(OBJECTS)} {rng.choice(TAILS)}" for _ in range(3)))
            words[0] += 24
        elif roll < 0.11:
            blocks.append(f"> {rng.choice(QUOTES)}")
            words[0] += 9
        else:
            blocks.append(_paragraph(rng, words))
    return "\n\n".join(blocks) + "\n"


def entry(i: int, seed: int = SEED) -> tuple[dict, str]:
    """(front matter, body) of entry i: the same whatever N is."""
    ref = load()
    rng = random.Random(f"{seed}-{i}")
    province = ref.provinces[i % len(ref.provinces)]
    stages = list(ref.stages)
    stage = stages[(i // len(ref.provinces) + i) % len(stages)]
    regency = rng.choice(ref.regencies_of(province))
    date = START + dt.timedelta(days=rng.randrange(DAYS))
    election = rng.choice(["pemilu-2024", "pilkada-2024", "pemilu-2024", ["pemilu-2024", "pilkada-2024"]])
    rank, role = rng.choice(RANKS)
    entry_id = f"{date.isoformat()}-{regency.slug}-{stage}-{i}"
    title = f"{role} {regency.name} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    meta: dict = {
        "id": entry_id, "title": title, "date": date,
        "published": dt.datetime.combine(date + dt.timedelta(days=rng.randrange(2)),
                                         dt.time(rng.randrange(6, 22), rng.randrange(60))),
        "dateline": regency.name, "province": province.name, "regency": regency.name,
        "election": election, "stage": stage, "topics": rng.sample(TOPICS, 2),
        "agencies": [f"{a} {regency.bare}" if a in ("KPU", "Bawaslu", "Polres") else a
                     for a in rng.sample(AGENCIES, 4)],
        "officials": [{"name": rng.choice(NAMES), "rank": rank, "role": f"{role} {regency.bare}"}]
        + [{"name": rng.choice(NAMES), "role": f"Ketua KPU {regency.bare}"}] * (i % 2),
        "figures": {"personnel": rng.randrange(50, 5000)} | ({"budget_idr": rng.randrange(10**8, 10**11)}
                                                            if i % 4 == 0 else {}),
        "source": {"outlet": rng.choice(OUTLETS), "url": f"https://contoh.example/{province.slug}/{i}",
                   "author": rng.choice(NAMES)},
        "summary": f"{_sentence(rng)} {_sentence(rng)}".replace("**", ""),
    }
    return meta, body(rng)


def render(meta: dict, text: str) -> str:
    """The content file as an editor would save it."""
    dumped = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{dumped}---\n{text}"


def item(i: int, dest: Path, seed: int = SEED) -> Item:
    """Entry i as the file it is written to in dest/ (not written: `write` does that)."""
    meta, text = entry(i, seed)
    return Item(meta, text, dest / f"{meta['id']}.md")


def write(n: int, dest: Path, seed: int = SEED) -> list[Item]:
    """Write entries 0..n-1 into dest/ (created)."""
    dest.mkdir(parents=True, exist_ok=True)
    items = [item(i, dest, seed) for i in range(n)]
    for one in items:
        one.path.write_text(render(one.meta, one.body), encoding="utf-8")
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    write(args.n, args.dest, args.seed)


if __name__ == "__main__":
    main()
