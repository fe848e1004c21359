"""Share images (the Open Graph picture of a link shared on WhatsApp or social media) and the
site's icons, drawn at build time with Pillow.

A card is drawn on an 8-bit canvas whose values index a palette of colour ramps, one per pair of
background and text colour. Antialiased text blends the canvas value between its background's
index and its colour's, which is a blend of the two colours, so the canvas is written as a palette
PNG as it is: no quantising, and far fewer bytes than RGB. The fonts are shipped
(digest/data/fonts), so the same Pillow gives the same bytes on every machine. Glyphs are drawn
once per process and pasted, far cheaper than FreeType drawing each line again.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest import urls
from digest.errors import DigestError, Problem
from digest.site import formatting

if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from digest.site.model import EntryView, Page

CARD = "@gambar-bagikan"  # the model's template name of a share image; no Jinja template
ICON = "@ikon"  # a PNG or ICO icon
WIDTH, HEIGHT = 1200, 630  # the size Open Graph and WhatsApp show uncropped
FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"

# The site's colours (templates/static/style.css).
_WHITE, _INK, _MUTED, _SOFT, _ACCENT = "#ffffff", "#1b1f24", "#4a5560", "#f3f5f7", "#0b5394"
# Palette ramps, each 64 entries from a background to a text colour; a text is drawn on a strip
# filled with its ramp's first index.
_RAMPS = ((_WHITE, _INK), (_WHITE, _ACCENT), (_ACCENT, _WHITE), (_SOFT, _MUTED))
_HEADLINE, _KICKER, _BAND, _DETAIL = (64 * i for i in range(len(_RAMPS)))
_MARGIN = 64
_INNER = WIDTH - 2 * _MARGIN  # the width text may take


def _bottom(details: int) -> int:
    """Where the details band starts, for this many lines of details."""
    return HEIGHT - 64 - 46 * max(details, 1)


@dataclass(frozen=True)
class Icon:
    """The site's icon on a grid of `size` units: a rounded square with a check mark (a ballot
    marked), drawn as SVG by templates/favicon.svg and as PNG and ICO by `Painter.icon`."""

    size: int = 32
    radius: int = 7
    background: str = _ACCENT
    mark: str = _WHITE
    stroke: float = 4.5
    check: tuple[tuple[float, float], ...] = ((8.5, 16.5), (13.5, 21.5), (23.5, 10.5))

    @property
    def points(self) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in self.check)


ICON_SHAPE = Icon()
# The icon files beside the SVG: site path -> pixel sizes (an ICO holds several).
ICON_FILES = {urls.FAVICON: (16, 32, 48), urls.ICON_PNG: (32,), urls.TOUCH_ICON: (180,)}


@dataclass(frozen=True)
class Card:
    """What a share image shows. An article's card names its entry, read when drawn: the site
    model reads no headline (see site.model.STRUCTURE)."""

    kicker: str
    title: str | None = None  # None: the entry's headline, or the site's description
    details: tuple[str, ...] = ()
    item: EntryView | None = None


def _count(n: int) -> str:
    return f"{formatting.number(n)} berita"


# Per page template with a share image of its own: the card its context gives.
_CARDS: dict[str, Callable[[dict[str, Any]], Card]] = {
    "entry.html": lambda c: Card("Berita", item=c["item"]),
    "index.html": lambda c: Card("Pemilu dan Pilkada 2024", details=(
        f"{_count(c['total'])} dari {sum(1 for _, n in c['province_counts'] if n)} provinsi",)),
    "province.html": lambda c: Card("Provinsi", c["province"].name,
                                    (_count(c["count"]), f"Pengamanan: {c['province'].polda}")),
    "province_stage.html": lambda c: Card(c["province"].name, f"Tahapan {c['stage'].label}", (_count(c["count"]),)),
    "stage.html": lambda c: Card("Tahapan", c["stage"].label, (_count(c["count"]),)),
    "regency.html": lambda c: Card(c["province"].name, c["regency"].name, (_count(c["count"]),)),
    "election.html": lambda c: Card("Pemilihan", c["election"].label, (_count(c["count"]),)),
    "archive.html": lambda c: Card("Arsip", formatting.month_year(c["month"]), (_count(c["count"]),)),
}


def card(page: Page) -> Card | None:
    """The card of a page that has its own share image (an article, the first page of a
    listing), or None: the page shows its listing's or the home page's."""
    make = _CARDS.get(page.template)
    if make is None or page.context.get("pager", {}).get("number", 1) > 1:
        return None
    return make(page.context)


def cards(pages: list[Page]) -> Iterator[tuple[str, Card]]:
    """(site path, card) of each share image the pages need; gives every HTML page its image's
    site path as `share` (og:image)."""
    own: dict[str, str] = {}  # page (a listing's first) -> its image
    for page in pages:
        found = card(page)
        if found is not None:
            own[page.url] = urls.share_image(page.url)
            yield own[page.url], found
    home = urls.share_image(urls.HOME)
    for page in pages:
        if page.template.endswith(".html"):
            first = page.context["pager"]["urls"][0] if "pager" in page.context else page.url
            page.context["share"] = own.get(first, home)


def _ramp(start: str, end: str) -> list[int]:
    a, b = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (start, end))
    return [round(a[k] + (b[k] - a[k]) * i / 63) for i in range(64) for k in range(3)]


@dataclass(frozen=True)
class Glyph:
    mask: Image.Image  # coverage, 0-255
    left: int  # offset of the mask from the pen position
    top: int
    advance: float


_MISSING = "\ufffe"  # a noncharacter: every font draws it as its "missing" box


class Painter:
    """Draws cards and icons; made once per build (fonts and glyphs are loaded on first use)."""

    def __init__(self, site_title: str, site_description: str):
        self.site_title = site_title
        self.site_description = site_description
        self._glyphs: dict[tuple[str, str], Glyph | None] = {}
        self._blanks: dict[int, Image.Image] = {}

    @functools.cached_property
    def _fonts(self) -> dict[str, ImageFont.FreeTypeFont]:
        from PIL import ImageFont

        sizes = {"band": ("Bold", 34), "kicker": ("Bold", 32), "headline": ("Bold", 58), "detail": ("Regular", 32)}
        fonts = {}
        for role, (weight, size) in sizes.items():
            path = FONTS / f"NotoSans-{weight}.ttf"
            try:
                fonts[role] = ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
            except OSError:
                raise DigestError(Problem(str(path), 0, "font missing or unreadable; reinstall digest")) from None
        return fonts

    @functools.cached_property
    def _palette(self) -> list[int]:
        return [v for start, end in _RAMPS for v in _ramp(start, end)]

    def _glyph(self, role: str, ch: str) -> Glyph | None:
        """A character drawn once per painter; None when the font lacks it (its "missing" box)."""
        key = (role, ch)
        if key not in self._glyphs:
            found = self._raster(role, ch)
            self._glyphs[key] = None if ch != _MISSING and found == self._raster(role, _MISSING) else found
        return self._glyphs[key]

    def _raster(self, role: str, ch: str) -> Glyph:
        from PIL import Image, ImageDraw

        font = self._fonts[role]
        left, top, right, bottom = map(int, font.getbbox(ch))  # whole pixels with the basic layout
        mask = Image.new("L", (max(right - left, 1), max(bottom - top, 1)))
        ImageDraw.Draw(mask).text((-left, -top), ch, font=font, fill=255)
        return Glyph(mask, left, top, font.getlength(ch))

    def _text(self, role: str, text: str) -> str:
        """The text with characters the font lacks spelt without accents, or dropped."""
        out = []
        for ch in text:
            if ch.isspace():
                out.append(" ")
            elif self._glyph(role, ch):
                out.append(ch)
            else:
                out.extend(c for c in unicodedata.normalize("NFKD", ch) if self._glyph(role, c))
        return "".join(out)

    def _width(self, role: str, text: str) -> float:
        return sum(g.advance for ch in text if (g := self._glyph(role, ch)))

    def _lines(self, role: str, text: str, width: int, most: int) -> list[str]:
        """Words wrapped to `width`, at most `most` lines, the last cut with an ellipsis."""
        lines: list[str] = []
        for word in self._text(role, text).split():
            joined = f"{lines[-1]} {word}" if lines else word
            if lines and self._width(role, joined) <= width:
                lines[-1] = joined
                continue
            rest = word
            while self._width(role, rest) > width:  # a word longer than the line: cut by characters
                cut = next(i for i in range(len(rest), 0, -1) if self._width(role, rest[:i]) <= width)
                lines.append(rest[:cut])
                rest = rest[cut:]
            lines.append(rest)
        if len(lines) > most:
            last = lines[most - 1]
            while last and self._width(role, last + " …") > width:
                last = last[:-1]
            lines[most - 1] = last.rstrip() + " …"
        return lines[:most]

    def _draw(self, canvas: Image.Image, role: str, xy: tuple[int, int], text: str, colour: int) -> None:
        """Paste each glyph's coverage as `colour` (blending canvas values, as ImageDraw.text would)."""
        x: float = xy[0]
        y = xy[1]
        core = canvas.im  # the pasting Image.paste does, without its checks for every glyph
        for ch in text:
            glyph = self._glyph(role, ch)
            if glyph:
                left, top = round(x) + glyph.left, y + glyph.top
                core.paste(colour, (left, top, left + glyph.mask.width, top + glyph.mask.height), glyph.mask.im)
                x += glyph.advance

    def _blank(self, details: int) -> Image.Image:
        """A card without its own text (bands, the site's title) for `details` lines of details:
        drawn once, copied for each card."""
        from PIL import Image, ImageDraw

        if details not in self._blanks:
            canvas = Image.new("P", (WIDTH, HEIGHT), _HEADLINE)
            canvas.putpalette(self._palette)
            draw = ImageDraw.Draw(canvas)
            draw.rectangle((0, 0, WIDTH, 96), fill=_BAND)
            draw.rectangle((0, 120, WIDTH, 176), fill=_KICKER)
            draw.rectangle((0, _bottom(details), WIDTH, HEIGHT), fill=_DETAIL)
            self._draw(canvas, "band", (_MARGIN, 24), self._lines("band", self.site_title, _INNER, 1)[0], _BAND + 63)
            self._blanks[details] = canvas
        return self._blanks[details].copy()

    def card(self, card: Card) -> bytes:
        """The card as a palette PNG."""
        item = card.item
        title = item.title if item else card.title or self.site_description
        details = card.details
        if item:
            place = f"{item.regency.name}, {item.province.name}" if item.regency else item.province.name
            elections = ", ".join(e.label for e in item.elections)
            details = (f"{formatting.long_date(item.date)} · {place}", f"{item.stage.label} · {elections}")
        canvas = self._blank(len(details))
        bottom = _bottom(len(details))
        self._draw(canvas, "kicker", (_MARGIN, 128), self._lines("kicker", card.kicker.upper(), _INNER, 1)[0],
                   _KICKER + 63)
        for n, line in enumerate(self._lines("headline", title, _INNER, (bottom - 196) // 70)):
            self._draw(canvas, "headline", (_MARGIN, 190 + 70 * n), line, _HEADLINE + 63)
        for n, line in enumerate(details):
            self._draw(canvas, "detail", (_MARGIN, bottom + 24 + 46 * n), self._lines("detail", line, _INNER, 1)[0],
                       _DETAIL + 63)
        return _png(canvas)

    def icon(self, path: str) -> bytes:
        """An icon file: PNG, or ICO holding every size of ICON_FILES[path]."""
        from PIL import Image, ImageDraw

        sizes = ICON_FILES[path]
        shape, scale = ICON_SHAPE, 8  # drawn large, then reduced: Pillow draws shapes without antialiasing
        big = max(sizes) * scale
        unit = big / shape.size
        image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        radius = 0 if path == urls.TOUCH_ICON else round(shape.radius * unit)  # iOS rounds the corners itself
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=shape.background)
        draw.line([(x * unit, y * unit) for x, y in shape.check], fill=shape.mark, width=round(shape.stroke * unit),
                  joint="curve")
        for x, y in (shape.check[0], shape.check[-1]):  # round caps, as the SVG's
            r = shape.stroke * unit / 2
            draw.ellipse((x * unit - r, y * unit - r, x * unit + r, y * unit + r), fill=shape.mark)
        image = image.resize((max(sizes), max(sizes)), Image.Resampling.LANCZOS)
        if path.endswith(".ico"):
            return _png(image, format="ICO", sizes=[(s, s) for s in sizes])
        return _png(image)


def _png(image: Image.Image, **options: Any) -> bytes:
    """The image's bytes: nothing but pixels (Pillow writes no time or text chunk unless asked)."""
    out = io.BytesIO()
    # zlib level 1: deflating is most of a card's cost (and a quarter of a cold build's); level 1
    # takes a seventh less time than level 3 for files a ninth bigger (RLE: as fast, bigger still).
    image.save(out, **{"format": "PNG", "compress_level": 1, **options})
    return out.getvalue()
