"""Share images, link-preview tags and the site's icons, read from built sites as a link preview
(WhatsApp, social media) and a browser would read them."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import pytest
from PIL import Image

from benchmarks.cards import corpus_cards
from digest import config as config_mod
from digest import urls
from digest.build import build
from digest.incremental import cachedir
from digest.site import shareimage
from tests.corpus import edit_entry
from tests.sitetools import page_file, parse, tree_bytes
from tests.test_incremental import TODAY, Project

BASE = "https://digest.example.id/"


def _pngs(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("bagikan.png"))}


def _chunks(png: bytes) -> list[bytes]:
    """The chunk types of a PNG file, in order."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        found.append(kind)
        at += 12 + length
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A generated project built cleanly twice, into two folders with caches of their own."""
    project = Project(tmp_path_factory.mktemp("share"), n=40)
    project.build("site", clean=True, cache_dir=project.root / "cache-a")
    project.build("again", clean=True, jobs=1, cache_dir=project.root / "cache-b")
    return project


def test_every_share_image_is_a_small_deterministic_1200x630_png(built):
    first, second = _pngs(built.root / "site"), _pngs(built.root / "again")
    assert len(first) > 40  # every article, and the listings
    assert first == second
    for rel, data in first.items():
        assert len(data) < 300_000, rel
        assert set(_chunks(data)) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}, rel  # no time, text or other metadata
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG" and image.size == (1200, 630), rel
        assert len(image.convert("RGB").getcolors(4096) or ()) > 20, rel  # drawn text, not a blank card


def test_the_card_shows_the_site_colours_in_bands(built):
    image = Image.open(built.root / "site" / "bagikan.png").convert("RGB")
    assert image.getpixel((5, 5)) == (0x0B, 0x53, 0x94)  # the site's accent: the title band
    assert image.getpixel((5, 300)) == (255, 255, 255)  # the headline on white
    assert image.getpixel((5, 625)) == (0xF3, 0xF5, 0xF7)  # the details band


def _meta(doc, key: str) -> str:
    [value] = doc.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    return value


@pytest.mark.parametrize("kind", ["home", "article", "province", "stage", "province_stage", "month", "page 2",
                                  "provinces", "404"])
def test_each_page_kind_previews_with_its_own_image(built, kind):
    site = built.root / "site"
    home = parse(site, urls.HOME)
    article = home.xpath("//ol[contains(@class,'entries')]//h3/a/@href")[0]
    province = parse(site, article).xpath("//a[starts-with(@data-pagefind-filter, 'Provinsi')]/@href")[0]
    stage = parse(site, article).xpath("//a[starts-with(@data-pagefind-filter, 'Tahapan')]/@href")[0]
    month = next(str(p.parent.relative_to(site)) for p in sorted((site / "arsip").glob("*/*/index.html")))
    page2 = next(str(p.parent.relative_to(site)) for p in sorted(site.glob("provinsi/*/page/2/index.html")))
    url, image = {
        "home": (urls.HOME, urls.share_image(urls.HOME)), "article": (article, urls.share_image(article)),
        "province": (province, urls.share_image(province)), "stage": (stage, urls.share_image(stage)),
        "province_stage": (urls.province_stage(province.split("/")[2], stage.split("/")[2]), None),
        "month": (f"/{month}/", f"/{month}/bagikan.png"),
        "page 2": (f"/{page2}/", urls.share_image(f"/{page2}/".split("page/")[0])),
        "provinces": (urls.PROVINCES, urls.share_image(urls.HOME)),
        "404": (urls.NOT_FOUND, urls.share_image(urls.HOME)),
    }[kind]
    doc = parse(site, url)
    image = image or urls.share_image(url)
    assert _meta(doc, "og:image") == BASE.rstrip("/") + image
    data = page_file(site, urlsplit(_meta(doc, "og:image")).path).read_bytes()
    assert Image.open(io.BytesIO(data)).size == (int(_meta(doc, "og:image:width")), int(_meta(doc, "og:image:height")))
    assert _meta(doc, "og:image:type") == "image/png"
    assert _meta(doc, "twitter:card") == "summary_large_image"
    assert _meta(doc, "og:url") == doc.xpath("//link[@rel='canonical']/@href")[0] == BASE.rstrip("/") + url
    assert _meta(doc, "og:title") == doc.findtext(".//title")
    assert _meta(doc, "og:type") == ("article" if kind == "article" else "website")
    assert _meta(doc, "og:description")


def test_every_html_page_names_icons_that_exist(built):
    site = built.root / "site"
    pages = [p for p in sorted(site.rglob("*.html")) if p.parent.name != urls.ADMIN.strip("/")]  # the editors'
    # own page (Decap CMS) names none: browsers then ask for /favicon.ico, which is there (below)
    assert any(p.parent.name == "cari" for p in pages) and (site / "404.html") in pages
    for path in pages:
        doc = parse(site, "/" + path.relative_to(site).as_posix())
        icons = {link.get("type") or link.get("rel"): link.get("href") for link in
                 doc.xpath("//link[@rel='icon' or @rel='apple-touch-icon']")}
        assert icons == {"image/svg+xml": urls.ICON_SVG, "image/png": urls.ICON_PNG,
                         "apple-touch-icon": urls.TOUCH_ICON}, path


def test_the_icons_are_an_svg_a_png_fallback_and_a_favicon_ico(built):
    site = built.root / "site"
    svg = lxml.etree.fromstring(page_file(site, urls.ICON_SVG).read_bytes())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 32 32"
    assert svg.find("{http://www.w3.org/2000/svg}rect").get("fill") == "#0b5394"
    for url, size in ((urls.ICON_PNG, 32), (urls.TOUCH_ICON, 180)):
        image = Image.open(page_file(site, url))
        assert image.format == "PNG" and image.size == (size, size)
        assert image.convert("RGB").getpixel((size // 2, size // 8)) == (0x0B, 0x53, 0x94)
    ico = Image.open(page_file(site, urls.FAVICON))  # what a browser asks for when a page names no icon
    assert ico.format == "ICO" and {(16, 16), (32, 32)} <= ico.info["sizes"]
    for url in (urls.ICON_SVG, urls.ICON_PNG, urls.TOUCH_ICON, urls.FAVICON):
        assert page_file(site, url).read_bytes() == page_file(built.root / "again", url).read_bytes()


def _idat(png: bytes) -> bytes:
    """The zlib stream of a PNG's pixels: its IDAT chunks joined."""
    data, at = b"", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        data += png[at + 8:at + 8 + length] if kind == b"IDAT" else b""
        at += 12 + length
    return data


def _whole_canvas(painter: shareimage.Painter, details: int, lines: list[shareimage.Line]) -> Image.Image:
    """The card drawn the plain way, for reference: every line on one canvas of all its rows."""
    canvas = painter._blank(details).copy()
    for line in lines:
        painter._draw(canvas, line)
    return canvas.crop((1, 0, canvas.width, canvas.height))  # without the column of filter bytes


_LISTINGS = [shareimage.Card("Provinsi", "Papua Pegunungan", ("1.204 berita", "Pengamanan: Polda Papua")),
             shareimage.Card("Pemilu dan Pilkada 2024", None, ("10.000 berita dari 38 provinsi",)),
             shareimage.Card("Nusa Tenggara Timur", "Tahapan Pemungutan dan penghitungan suara", ("7 berita",))]


def test_a_card_decodes_to_the_pixels_pillow_writes_for_the_whole_canvas():
    painter = shareimage.Painter("Digest Keamanan Pemilu", "Berita pengamanan Pemilu dan Pilkada 2024")
    layouts = [painter.layout(card) for card in corpus_cards(40) + _LISTINGS]
    # Lines whose rows overlap (a descender above an accented capital) must share a band.
    layouts.append((1, [shareimage.Line("headline", 64, 200, "Bupati yang gagap", 63),
                        shareimage.Line("headline", 80, 240, "ÉLÉGÁNT ÅÖ Ṭapanuli", 63),
                        shareimage.Line("detail", 64, 560, "Rabu, 14 Februari 2024", 255)]))
    for details, lines in layouts:
        png = painter.png(details, lines)
        Image.open(io.BytesIO(png)).verify()
        ours = Image.open(io.BytesIO(png))
        reference = io.BytesIO()
        _whole_canvas(painter, details, lines).save(reference, format="PNG")
        theirs = Image.open(reference)
        assert (ours.mode, ours.size) == (theirs.mode, theirs.size) == ("P", (1200, 630))
        assert ours.getpalette() == theirs.getpalette()
        assert ours.tobytes() == theirs.tobytes(), lines[1].text
        rows = zlib.decompress(_idat(png))  # one valid zlib stream (its adler32 checked), rows unfiltered
        assert rows == b"".join(b"\0" + row for row in _rows(theirs.tobytes()))
    assert len({painter.png(*layout) for layout in layouts}) == len(layouts)  # text drawn, not blank cards


def _rows(pixels: bytes) -> list[bytes]:
    return [pixels[at:at + 1200] for at in range(0, len(pixels), 1200)]


def test_a_cards_bytes_do_not_depend_on_the_cards_drawn_before(monkeypatch):
    """Bands are kept between cards and workers draw cards in any order: the bytes must not show it."""
    cards = corpus_cards(30) + _LISTINGS
    fresh = [shareimage.Painter("Digest", "Berita").card(card) for card in cards]
    monkeypatch.setattr(shareimage, "_BANDS_KEPT", 3)  # most bands dropped and deflated again
    painter = shareimage.Painter("Digest", "Berita")
    assert [painter.card(card) for card in reversed(cards)][::-1] == fresh
    assert [painter.card(card) for card in cards] == fresh


def test_headlines_are_wrapped_within_the_card_and_cut_with_an_ellipsis():
    painter = shareimage.Painter("Digest Keamanan Pemilu", "Berita pengamanan Pemilu")
    inner = shareimage.WIDTH - 128
    long = " ".join(["Polres Kabupaten Kepulauan Siau Tagulandang Biaro amankan pleno rekapitulasi"] * 4)
    lines = painter._lines("headline", long, inner, 3)
    assert len(lines) == 3 and lines[-1].endswith(" …")
    assert all(painter._width("headline", line) <= inner for line in lines)
    assert " ".join(lines[:2]) == long[:len(" ".join(lines[:2]))]  # whole words, in order
    short = painter._lines("headline", "Polda Bali siaga", inner, 3)
    assert short == ["Polda Bali siaga"]
    url = "https://contoh.example/" + "x" * 200  # one word wider than the card: cut, not overflowing
    assert all(painter._width("headline", line) <= inner for line in painter._lines("headline", url, inner, 4))


def test_characters_the_font_lacks_are_spelt_plainly_not_drawn_as_boxes():
    painter = shareimage.Painter("Digest", "Berita")
    assert painter._text("headline", "Café Ṭanjung “Pemilu” 🗳 2024") == "Café Tanjung “Pemilu”  2024"


def _drawn(monkeypatch) -> list[str]:
    """Titles of the cards drawn by builds in this process, as they are drawn."""
    drawn: list[str] = []
    real = shareimage.Painter.card

    def counted(self, card):
        drawn.append(card.item.entry.id if card.item else f"{card.kicker}: {card.title}")
        return real(self, card)

    monkeypatch.setattr(shareimage.Painter, "card", counted)
    return drawn


def test_share_images_are_drawn_again_only_when_what_they_show_changed(tmp_path, monkeypatch):
    project = Project(tmp_path, n=30)
    project.settings["search"] = False
    project.write_settings()
    cfg = config_mod.load(project.root / "digest.yaml", output=project.root / "site")
    drawn = _drawn(monkeypatch)
    build(cfg, today=TODAY, jobs=1)
    cold = len(drawn)
    assert cold > 30
    site = project.root / "site"
    before = {rel: (site / rel).stat().st_ino for rel in _pngs(site)}

    drawn.clear()
    build(cfg, today=TODAY, jobs=1)
    assert drawn == []  # nothing changed: nothing drawn

    edited = project.files()[5]
    entry_id = edited.stem
    edit_entry(edited, title="Judul baru sesudah koreksi redaksi")
    build(cfg, today=TODAY, jobs=1)
    assert drawn == [entry_id]  # one edited entry: its card alone
    changed = {rel for rel in _pngs(site) if (site / rel).stat().st_ino != before[rel]}
    assert changed == {f"berita/{entry_id}/bagikan.png"}

    drawn.clear()
    card = _pngs(site)[f"berita/{entry_id}/bagikan.png"]
    edit_entry(edited, "\nParagraf tambahan.\n")  # not on the card, but the entry's file is its input
    build(cfg, today=TODAY, jobs=1)
    assert drawn == [entry_id]
    assert _pngs(site)[f"berita/{entry_id}/bagikan.png"] == card

    drawn.clear()
    project.settings["title"] = "Digest Pengamanan Pemilu"  # on every card: every card again
    project.write_settings()
    build(config_mod.load(project.root / "digest.yaml", output=site), today=TODAY, jobs=1)
    assert len(drawn) == cold
    assert tree_bytes(site) == project.reference()


def test_a_new_zlib_starts_a_new_cache(monkeypatch):
    """Cards are deflated by the zlib Python links, which a system update may change: cards kept
    from another zlib could differ from a clean build's."""
    before = cachedir.code_key()
    monkeypatch.setattr(cachedir.zlib, "ZLIB_RUNTIME_VERSION", "1.3.1.zlib-ng")
    assert cachedir.code_key() != before
