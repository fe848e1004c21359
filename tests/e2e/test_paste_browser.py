"""An editor in a real browser adds an article through the preview's paste page: pastes the
text, sees what ingest flagged and why, fixes the headline, saves, and finds the entry in
content/ (passing `digest check`) and in the rebuilt preview. On a phone-sized screen, with no
serious accessibility violations."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from digest.content import frontmatter
from tests.conftest import run_digest
from tests.e2e.conftest import axe_violations, screenshot
from tests.test_paste import ARTICLE, ARTICLE_ID, URL, serving

TITLE = "Polres Temanggung kawal logistik Pilkada ke 20 kecamatan"


def no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_an_editor_pastes_fixes_and_saves_an_article_and_sees_it_in_the_preview(project, page):
    with serving(project) as address:
        page.goto(address)
        assert page.locator("html").get_attribute("lang") == "id"
        assert axe_violations(page) == [] and no_overflow(page)
        page.get_by_label("Teks artikel", exact=True).fill(ARTICLE)
        page.get_by_label("Alamat artikel (URL)", exact=True).fill(URL)
        page.get_by_role("button", name="Baca artikel").click()
        page.wait_for_load_state()  # the click returns once the answer starts, not when it is parsed

        flags = page.locator("li.flag")
        expect(flags.nth(1)).to_be_attached()  # at least two fields flagged

        summary = page.locator("li.flag[data-field=summary]")
        assert "kalimat pembuka" in summary.locator(".reason").inner_text()  # the reason, as ingest gives it
        assert page.locator("#summary-flag").is_visible()  # and next to the field it is about
        assert page.get_by_label("Provinsi", exact=True).input_value() == "Jawa Tengah"
        assert page.get_by_label("Tahapan", exact=True).input_value() == "logistik"
        assert axe_violations(page) == [] and no_overflow(page)
        screenshot(page, "paste-edit")

        page.get_by_label("Judul", exact=True).fill(TITLE)
        page.get_by_label("Media", exact=True).fill("Warta Kedu")
        summary.get_by_label("Sudah diperiksa", exact=True).check()
        page.get_by_label("Jumlah personel", exact=True).fill("320 orang")
        page.get_by_role("button", name="Simpan ke content/").click()
        page.wait_for_load_state()
        assert "Tulis bilangan bulat" in page.locator("#personnel-error").inner_text()  # said, not lost
        page.get_by_label("Jumlah personel", exact=True).fill("320")
        page.get_by_role("button", name="Simpan ke content/").click()
        page.wait_for_load_state()

        saved = page.locator(".saved-path").inner_text()
        assert saved.startswith("content/") and ARTICLE_ID not in saved  # named after the corrected title
        meta = frontmatter.parse(saved, (project / saved).read_text(encoding="utf-8")).meta
        assert (meta["title"], meta["source"]["outlet"], meta["figures"]["personnel"]) == (TITLE, "Warta Kedu", 320)
        assert "summary" not in meta.get("review", [])  # checked by the editor: no longer waiting for review
        check = run_digest("check", "content", "--format", "json", cwd=project)
        assert check.returncode == 0
        assert not [p for p in json.loads(check.stdout)["problems"] if p["path"] == saved and p["severity"] == "error"]

        page.locator("a.saved-link").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == TITLE
        assert page.locator("p.source a").get_attribute("href") == URL
