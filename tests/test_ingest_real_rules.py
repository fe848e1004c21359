"""Rules learnt from the 130 real articles behind content/: officials written in the many ways
news writes them, no junk names, and agencies as editors list them (who acted, not who was named)."""

from __future__ import annotations

from tests.conftest import ingest_text as entry


def _officials(text: str) -> list[dict[str, str]]:
    return entry(text).meta["officials"]


def test_spelled_out_title_and_rank_with_bracketed_short_forms():
    officials = _officials("""
        Polres Bantul Kawal Pasangan Calon Pilkada

        BANTUL - Kepala Kepolisian Resor (Kapolres) Bantul AKBP Michael Risakotta menyiagakan 24 personel
        untuk mengawal pasangan calon Pilkada 2024, Rabu (25/9/2024).
        Sementara Kapolres Kapuas Hulu Ajun Komisaris Besar Polisi (AKBP) Hendrawan meminta warga tenang.
    """)
    assert {"name": "Michael Risakotta", "rank": "AKBP", "role": "Kapolres Bantul"} in officials
    assert {"name": "Hendrawan", "rank": "AKBP", "role": "Kapolres Kapuas Hulu"} in officials


def test_title_after_the_name_and_name_in_capitals():
    officials = _officials("""
        Polrestabes Surabaya Amankan Pleno Rekapitulasi

        SURABAYA - Sebanyak 400 personel mengamankan rapat pleno rekapitulasi suara Pemilu 2024, Rabu (28/2/2024).
        AKBP Wibowo Kabagops Polrestabes Surabaya menerangkan skema pengamanan berlapis.
        Hal itu disampaikan Kasi Humas Polres Mamuju Tengah, IPTU JEFRINAL.
    """)
    assert {"name": "Wibowo", "rank": "AKBP", "role": "Kabag Ops Polrestabes Surabaya"} in officials
    assert any(o["name"] == "Jefrinal" and o["rank"] == "IPTU" for o in officials)


def test_a_title_with_a_place_word_before_the_rank_keeps_the_place():
    officials = _officials("""
        Polsek Jatiwangi Amankan Rekapitulasi di Kecamatan

        MAJALENGKA - Kapolsek Jatiwangi AKP Dedi Supriadi memimpin pengamanan rekapitulasi suara Pemilu 2024
        tingkat kecamatan, Minggu (18/2/2024).
    """)
    assert {"name": "Dedi Supriadi", "rank": "AKP", "role": "Kapolsek Jatiwangi"} in officials


def test_weekdays_years_and_race_titles_are_not_names():
    officials = _officials("""
        KPU Bali Tetapkan Pasangan Calon Gubernur dan Wakil Gubernur Tahun 2024

        DENPASAR - KPU Bali menetapkan pasangan calon Gubernur dan Wakil Gubernur Tahun 2024, Minggu (22/9/2024).
        Penetapan Wakil Gubernur Kepulauan Babel Tahun 2024 berlangsung di Pangkalpinang.
        Pengamanan dipimpin Kapolda Bali, Senin, bersama jajaran. Kapolda Bali Irjen Pol Daniel Adityajaya
        menyebut 1.200 personel disiagakan.
    """)
    names = {o["name"] for o in officials}
    assert names == {"Daniel Adityajaya"}


def test_a_verb_in_a_title_case_headline_ends_the_name():
    officials = _officials("""
        Polresta Tidore Siagakan 150 Personel di Minggu Tenang

        TIDORE - Polresta Tidore Kepulauan menyiagakan 150 personel pada masa tenang Pemilu 2024, Sabtu (10/2/2024).

        Kapolda Malut Irjen Pol Midi Siswoko Tekankan Polres Dukung Program Prioritas
    """)
    assert {"name": "Midi Siswoko", "rank": "Irjen Pol", "role": "Kapolda Malut"} in officials


def test_agencies_are_those_named_acting_not_generic_or_candidates_titles():
    agencies = entry("""
        KPU Jateng Gelar Debat Calon Gubernur

        SEMARANG - Polda Jateng menyiagakan 800 personel untuk debat pasangan calon Gubernur dan Wakil Gubernur
        Jawa Tengah yang digelar KPU Jateng, Rabu (16/10/2024). Seluruh Polres dan personel Polri di jajaran
        disiagakan bersama Linmas. Pemerintah Kota Semarang menyiapkan lokasi.
    """).meta["agencies"]
    assert set(agencies) == {"Polda Jateng", "KPU Jateng", "Linmas", "Pemkot Semarang"}


def test_widgets_labels_and_captions_are_neither_outlet_nor_headline():
    draft = entry("""
        IKLAN
        28.4 C
        Menu
        Polres Sekadau Kawal Logistik Pemilu ke Gudang KPU
        Kapolres Sekadau memimpin pengawalan logistik Pemilu 2024, Senin (5/2/2024). (Foto: Humas Polres Sekadau)
        Sekadau - Polres Sekadau mengawal pengiriman logistik Pemilu 2024 dari gudang KPU Kabupaten Sekadau ke
        tujuh kecamatan, Senin (5/2/2024), dengan 120 personel gabungan.
    """)
    assert draft.meta["title"] == "Polres Sekadau Kawal Logistik Pemilu ke Gudang KPU"
    assert "source" not in draft.meta or "outlet" not in draft.meta["source"]


def test_a_dateline_with_the_province_after_the_city_names_no_outlet():
    draft = entry("""
        Polda Maluku Utara Amankan Pengundian Nomor Urut

        Ternate, Maluku Utara – Polda Maluku Utara mengerahkan 256 personel mengamankan pengundian nomor urut
        pasangan calon gubernur di KPU Maluku Utara, Senin (23/9/2024).
    """)
    assert draft.meta["dateline"] == "Ternate"
    assert "source.outlet" in draft.meta["review"]


def test_an_outlet_written_before_its_dateline_place_is_read_as_the_outlet():
    draft = entry("""
        Kapolda Tinjau Pemungutan Suara Ulang

        KABARCONTOH NEWS, Riau - Kapolda Riau meninjau pemungutan suara ulang Pemilu 2024 di Kepulauan Meranti,
        Sabtu (29/6/2024), bersama KPU Provinsi Riau.
    """)
    assert draft.meta["source"]["outlet"] == "KABARCONTOH NEWS"
    assert draft.meta["dateline"] == "Riau"


def test_an_outlet_given_as_a_web_address_or_a_regional_edition_is_flagged():
    from digest.ingest.hints import Hints
    web = entry("""
        Polres Batu Siagakan 200 Personel

        KOTA BATU, contohberita.com - Polres Batu menyiagakan 200 personel untuk masa tenang Pemilu 2024,
        Minggu (11/2/2024).
    """)
    assert web.meta["source"]["outlet"] == "contohberita.com"
    assert "alamatnya 'contohberita.com'" in web.reasons["source.outlet"]
    regional = entry("""
        Polda Aceh Siagakan 300 Personel

        Banda Aceh (ANTARA) - Polda Aceh menyiagakan 300 personel untuk masa tenang Pemilu 2024, Minggu (11/2/2024).
    """, hints=Hints(url="https://aceh.antaranews.com/berita/1/polda-aceh-siagakan-300-personel"))
    assert regional.meta["source"]["outlet"] == "ANTARA"
    assert "aceh.antaranews.com" in regional.reasons["source.outlet"]


def test_a_polda_story_datelined_in_the_provincial_capital_gets_no_silent_regency():
    draft = entry("""
        Polda Sulteng Siapkan 9.449 Personel Amankan Pilkada

        PALU - Polda Sulteng menyiapkan 9.449 personel untuk mengamankan seluruh tahapan Pilkada 2024 di
        Sulawesi Tengah, Minggu (25/8/2024). KPU Provinsi Sulteng dan Bawaslu Sulteng hadir dalam apel di Kota Palu.
        Kapolda Sulteng menegaskan personel disebar ke 13 kabupaten dan kota.
    """)
    assert "regency" not in draft.meta or "regency" in draft.meta["review"]


def test_a_unit_acting_for_another_kabupatens_vote_is_flagged():
    draft = entry("""
        Polres Bontang Kerahkan 505 Personel Amankan PSU

        BONTANG - Polres Bontang mengerahkan 505 personel untuk pemungutan suara ulang (PSU) Pilkada di
        Kabupaten Kutai Kartanegara, Rabu (16/4/2025). Kapolres Bontang memimpin apel di Mapolres Bontang.
        Personel Polres Bontang dibagi ke seluruh TPS.
    """)
    assert draft.meta["regency"] == "Kota Bontang"
    assert "Kutai Kartanegara" in draft.reasons["regency"]


def test_minggu_tenang_is_the_quiet_period():
    draft = entry("""
        Polresta Tidore Siagakan 150 Personel

        TIDORE - Sebanyak 150 personel Polresta Tidore Kepulauan disiagakan selama minggu tenang Pemilu 2024,
        Minggu (11/2/2024). Patroli digelar di seluruh kecamatan selama minggu tenang.
    """)
    assert draft.meta["stage"] == "masa-tenang"


def test_a_plenary_on_candidates_numbers_far_from_the_tabulation_is_not_tabulation():
    draft = entry("""
        Polda Aceh Amankan Rapat Pleno KIP Aceh

        BANDA ACEH - Polda Aceh mengerahkan 305 personel mengamankan rapat pleno terbuka KIP Aceh, Senin (23/9/2024).
        Rapat pleno itu beragenda pengundian dan penetapan nomor urut pasangan calon Gubernur Aceh.
        Rapat pleno dijaga ketat. Setiap tamu rapat pleno diperiksa.
    """)
    assert draft.meta["stage"] == "pencalonan"


def test_the_oath_of_new_dprd_members_is_a_pemilu_story():
    draft = entry("""
        Polres Majene Amankan Pengucapan Sumpah Anggota DPRD

        MAJENE - Polres Majene mengerahkan 120 personel mengamankan pengucapan sumpah anggota DPRD Kabupaten
        Majene periode 2024-2029, Selasa (17/9/2024), di gedung DPRD Majene.
    """)
    assert draft.meta["election"] == "pemilu-2024"


def test_a_part_of_day_between_weekday_and_date():
    evening = entry("""
        Polres Sinjai Patroli Skala Besar

        SINJAI - Polres Sinjai menggelar patroli skala besar bersama TNI pada Sabtu malam, 19 Oktober 2024,
        menjelang pelantikan presiden dan wakil presiden hasil Pemilu 2024.
    """)
    assert str(evening.meta["date"]) == "2024-10-19"
    bracketed = entry("""
        Polres Bantul Patroli Masa Tenang

        BANTUL - Polres Bantul berpatroli di masa tenang Pemilu 2024 pada Selasa malam (13/02/2024) di 17 kecamatan.
    """)
    assert str(bracketed.meta["date"]) == "2024-02-13"


def test_a_header_date_widget_is_not_the_publication_date():
    draft = entry("""
        • Senin, 22 Desember 2025
        Polres Bontang Amankan Pleno Rekapitulasi
        Senin, 2 Desember 2024 | 16:12 WIB
        BONTANG - Polres Bontang mengamankan rapat pleno rekapitulasi suara Pilkada 2024 di KPU Kota Bontang,
        Senin (2/12/2024), dengan 150 personel.
    """)
    assert str(draft.meta["published"]).startswith("2024-12-02")


def test_a_photo_caption_dates_a_story_that_gives_no_date_and_is_flagged():
    draft = entry("""
        151 Personel Polres Nabire Amankan Pleno
        Personel Polres Nabire bersiap mengamankan sidang pleno di Nabire, Kamis (12/12/2024). |
        NABIRE - Sebanyak 151 personel Polres Nabire dikerahkan mengamankan sidang pleno rekapitulasi suara
        Pilkada tingkat kabupaten di Kabupaten Nabire.
    """)
    assert str(draft.meta["date"]) == "2024-12-12"
    assert "keterangan foto" in draft.reasons["date"]
    assert draft.meta["title"] == "151 Personel Polres Nabire Amankan Pleno"


def test_a_first_line_that_is_only_the_sites_address_is_not_the_lead():
    draft = entry("""
        contohcerita.com -
        SURABAYA - KPU Jawa Timur melaksanakan rapat pleno terbuka rekapitulasi suara Pilkada 2024 di Surabaya,
        Sabtu (7/12/2024), dijaga 532 personel Polda Jatim.
    """)
    assert draft.meta["source"]["outlet"] == "contohcerita.com"
    assert draft.meta["title"].startswith("KPU Jawa Timur")


def test_an_operation_or_a_province_between_title_and_rank():
    officials = _officials("""
        Patroli Gabungan Pasca Pencoblosan di Wamena

        WAMENA - Personel gabungan berpatroli pasca pencoblosan Pilkada 2024 di Wamena, Kamis (28/11/2024).
        Kasatgas Humas OMPC II-2024 AKBP Agus Hariadi mengimbau warga menjaga situasi.
        Sementara Kapolres Kapuas Hulu, Provinsi Kalimantan Barat AKBP Hendra Wijaya meminta warga tenang.
    """)
    assert {"name": "Agus Hariadi", "rank": "AKBP", "role": "Kasatgas Humas OMPC II-2024"} in officials
    assert {"name": "Hendra Wijaya", "rank": "AKBP", "role": "Kapolres Kapuas Hulu"} in officials


def test_hari_ini_marks_the_day_of_the_report_over_the_start_of_a_period():
    draft = entry("""
        Polda Kalsel Amankan Pendaftaran Paslon Gubernur

        BANJARMASIN - Polda Kalsel menurunkan 200 personel mengamankan pendaftaran pasangan calon gubernur.

        Ia mengungkapkan pengamanan digelar sejak Selasa (27/8/2024) hingga hari ini Kamis (29/8/2024).
    """)
    assert str(draft.meta["date"]) == "2024-08-29"


def test_an_action_before_the_day_a_source_spoke_is_flagged():
    draft = entry("""
        Polres Lombok Tengah Kawal Logistik Pilkada

        PRAYA - Polres Lombok Tengah mengawal kedatangan logistik Pilkada 2024 di gudang KPU Kabupaten Lombok
        Tengah, Minggu, (20/10).

        Kabag Ops Polres Lombok Tengah AKP Hery Indrayanto saat dikonfirmasi, Senin (21/10), menyebut 40 personel
        dikerahkan.
    """)
    assert "date" in draft.meta["review"]
    assert "2024-10-20" in draft.reasons["date"]


def test_a_name_starting_like_a_corps_and_a_bracketed_two_word_short_form():
    officials = _officials("""
        Polres Metro Jakarta Pusat Siaga Sidang MK

        JAKARTA - Sebanyak 1.172 personel mengamankan sidang sengketa Pilkada di MK, Selasa (4/2/2025).
        Hal itu disampaikan Kapolres Metro Jakarta Pusat, Kombes Pol Susatyo Condro dalam keterangannya.
        Kepala Bagian Pembinaan Operasional (Kabag Binops) Biro Operasional Polda Sultra, AKBP Budhi menambahkan.
    """)
    assert {"name": "Susatyo Condro", "rank": "Kombes Pol", "role": "Kapolres Metro Jakarta Pusat"} in officials
    assert {"name": "Budhi", "rank": "AKBP", "role": "Kabag Binops Biro Operasional Polda Sultra"} in officials


def test_a_name_ending_a_listed_title_is_not_taken_into_the_next_ones_title():
    officials = _officials("""
        Bawaslu dan Polres PALI Gelar Apel Masa Tenang

        PALI - Apel masa tenang Pemilu 2024 digelar Minggu (11/2/2024), dihadiri Ketua KPU PALI Sunario,
        AKBP Khairu Nasrudin dan jajaran.
    """)
    assert {"name": "Sunario", "role": "Ketua KPU Pali"} in officials
    assert not any("Sunario" in o.get("role", "") for o in officials)


def test_a_kpu_named_without_place_takes_the_storys_place_flagged():
    draft = entry("""
        Polres Tarakan Kawal Distribusi Logistik Pilkada

        TARAKAN - Polres Tarakan mengawal distribusi logistik Pilkada 2024 dari gudang KPU ke empat kecamatan
        di Kota Tarakan, Selasa (26/11/2024), dengan 80 personel.
    """)
    assert "KPU Kota Tarakan" in draft.meta["agencies"]
    assert "agencies" in draft.meta["review"]


def test_a_polda_s_own_brimob_is_listed_with_its_polda_once():
    agencies = entry("""
        Brimob Polda Jambi Kerahkan 440 Personel

        JAMBI - Satbrimob Polda Jambi mengerahkan 440 personel mengamankan masa kampanye Pilkada 2024,
        Senin (14/10/2024). Personel Satbrimob disebar ke seluruh kabupaten.
    """).meta["agencies"]
    assert "Satbrimob Polda Jambi" in agencies
    assert "Satbrimob" not in agencies


def test_a_caption_with_its_source_and_a_dot_co_address():
    draft = entry("""
        Personel Gabungan Patroli Pasca Pencoblosan di Wamena
        Personel gabungan melaksanakan patroli pasca pencoblosan Pilkada 2024. (Polda Papua)
        WAMENA, kabarcontoh.co - Personel gabungan berpatroli di Wamena pasca pencoblosan Pilkada 2024,
        Kamis (28/11/2024), dengan 120 personel.
    """)
    assert draft.meta["title"] == "Personel Gabungan Patroli Pasca Pencoblosan di Wamena"
    assert "alamatnya 'kabarcontoh.co'" in draft.reasons["source.outlet"]


def test_a_pemilu_story_before_the_pilpres_result_with_one_pilkada_word_stays_pemilu():
    draft = entry("""
        Polda Banten Rakor Persiapan Pemilu

        SERANG - Polda Banten menggelar rapat koordinasi persiapan Pemilu 2024 dan Pemilukada, Senin (11/12/2023).
        Rakor membahas pengamanan Pemilu 2024, tahapan Pemilu, kampanye Pemilu dan logistik Pemilu di Banten.
    """)
    assert draft.meta["election"] == "pemilu-2024"
    assert "election" in draft.meta["review"]


def test_petugas_keamanan_is_a_personnel_count():
    draft = entry("""
        16.223 Petugas Keamanan Jaga TPS Pemilu 2024 di Tangerang

        TANGERANG - Polres Metro Tangerang Kota menggelar apel pergeseran pasukan ke TPS Pemilu 2024, Senin (12/2/2024).
    """)
    assert draft.meta["figures"]["personnel"] == 16223
