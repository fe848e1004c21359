"""A deterministic synthetic corpus of realistic entries, for tests (and later benchmarks)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from digest.reference.refdata import load

AGENCIES = ["KPU", "Bawaslu", "Polda", "Polres", "Kodim", "Korem", "Satpol PP", "Kesbangpol", "Forkopimda"]
RANKS = [("AKBP", "Kapolres"), ("Kombes Pol", "Kapolresta"), ("Irjen Pol", "Kapolda"), ("Brigjen Pol", "Wakapolda"),
         ("Letkol Inf", "Dandim"), ("", "Ketua KPU"), ("", "Ketua Bawaslu")]
NAMES = ["Andi Rian", "Siti Rahmawati", "Budi Santoso", "Made Wirawan", "Yohanes Kambu", "Teuku Fadli",
         "Dewi Lestari", "Heri Purnomo", "Oskar Syamsuddin", "Nurhayati", "La Ode Hasan", "Ketut Sudira"]
SENTENCES = [
    "Personel gabungan TNI dan Polri disiagakan di sejumlah titik rawan.",
    "Rapat koordinasi membahas pemetaan kerawanan di tiap kecamatan.",
    "Logistik pemilu dikawal dari gudang KPU menuju PPK dan PPS.",
    "Petugas memastikan kotak suara tersegel sebelum didistribusikan.",
    "Bawaslu mengingatkan netralitas aparatur sipil negara selama tahapan berlangsung.",
    "Patroli skala besar digelar untuk menjaga situasi tetap kondusif.",
    "Warga diimbau tidak terprovokasi kabar bohong di media sosial.",
    "Kapolres menegaskan kesiapan seluruh jajaran mengamankan setiap tahapan.",
    "Rapat pleno rekapitulasi berjalan tertib dengan pengawalan ketat.",
    "Simulasi sistem pengamanan kota melibatkan ratusan personel.",
]


@dataclass(frozen=True)
class Generated:
    id: str
    title: str
    date: dt.date
    province: str  # slug
    stage: str
    path: Path


def write_corpus(dest: Path, n: int = 320, provinces: int = 14, seed: int = 2024) -> list[Generated]:
    """Write n entries spread over `provinces` provinces and every stage; return their key facts."""
    ref = load()
    rng = random.Random(seed)
    chosen = list(ref.provinces)[:: max(1, len(ref.provinces) // provinces)][:provinces]
    stages = list(ref.stages)
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    start = dt.date(2023, 6, 1)
    for i in range(n):
        province = chosen[i % len(chosen)] if i < n - 20 else chosen[0]  # one province gets several pages
        stage = stages[(i * 7 + i // 10) % len(stages)]
        regencies = ref.regencies_of(province)
        regency = regencies[i % len(regencies)]
        date = start + dt.timedelta(days=rng.randrange(0, 600))
        rank, role = RANKS[i % len(RANKS)]
        entry_id = f"e{i:04d}-{province.slug}-{stage}"
        title = f"{role} {regency.name} & mitra amankan tahapan \"{stage}\" #{i}"
        meta = {
            "id": entry_id, "title": title, "date": date, "province": province.name,
            "regency": regency.name, "election": "pilkada-2024" if i % 3 == 0 else "pemilu-2024",
            "stage": stage, "topics": ["pengamanan"], "agencies": rng.sample(AGENCIES, 3),
            "officials": [{"name": NAMES[i % len(NAMES)], "rank": rank, "role": f"{role} {regency.bare}"}],
            "figures": {"personnel": rng.randrange(50, 5000)},
            "source": {"outlet": "Contoh News", "url": f"https://contoh.example/berita/{i}"},
            "summary": f"Ringkasan berita nomor {i} tentang pengamanan di {regency.name}.",
        }
        body = "\n\n".join(" ".join(rng.sample(SENTENCES, 4)) for _ in range(3))
        path = dest / f"{entry_id}.md"
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
        out.append(Generated(entry_id, title, date, province.slug, stage, path))
    return out


def edit_entry(path: Path, body_suffix: str = "", **changes: object) -> None:
    """Change front-matter fields of a written entry (as an editor would) and append to its body."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    meta.update(changes)
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{dumped}---\n{body}{body_suffix}", encoding="utf-8")
