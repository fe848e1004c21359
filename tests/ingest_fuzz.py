"""Strategies for raw articles, shared by the property tests and benchmarks/fuzz_ingest.py."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from digest.reference.refdata import load

REF = load()
WEEKDAYS = REF.calendar["weekdays"]
MONTHS = REF.calendar["months"]
KOTA = [r for r in REF.regencies if r.kind == "kota" and " " not in r.bare]
LEADS = ["menggelar rapat koordinasi pengamanan Pemilu 2024 bersama KPU",
         "mengawal distribusi logistik surat suara Pemilu 2024 ke PPK",
         "mengamankan rapat pleno rekapitulasi suara Pilkada 2024 tingkat kecamatan",
         "menyiagakan personel untuk pengamanan kampanye terbuka Pilkada 2024"]
BOILER = ["Baca juga: Polres Lain Siagakan Personel", "Cek Berita dan Artikel yang lain di Google News",
          "Penulis: Redaksi", "Editor: Admin", "(adi/sis)", "Tinggalkan Komentar", "Bagikan:", "12 dibaca"]


@st.composite
def article(draw) -> tuple[str, dict]:
    """A realistic short article with its true province, city and date."""
    city = draw(st.sampled_from(KOTA))
    day = draw(st.dates(dt.date(2023, 6, 1), dt.date(2024, 12, 20)))
    form = draw(st.sampled_from(["paren", "long"]))
    when = (f"{WEEKDAYS[day.weekday()]} ({day.day}/{day.month}/{day.year})" if form == "paren"
            else f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}")
    personnel = draw(st.integers(50, 9000))
    lead = draw(st.sampled_from(LEADS))
    text = "\n\n".join([
        f"Polres {city.bare} Amankan Tahapan Pemilihan",
        f"{city.bare.upper()} - Polres {city.bare} {lead} Kota {city.bare}, {when}.",
        f"Kapolres {city.bare} AKBP Budi Santoso mengatakan sebanyak {personnel:,} personel "
        "disiagakan.".replace(",", "."),
        draw(st.sampled_from(BOILER)),
    ])
    return text, {"province": REF.province_by_code[city.province_code].name, "regency": city.name,
                  "date": day, "personnel": personnel}


noise = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
mixed = st.lists(st.one_of(noise, st.sampled_from(BOILER + LEADS), article().map(lambda a: a[0])),
                 min_size=1, max_size=5).map("\n\n".join)
