"""Share images (the Open Graph picture of a link shared on WhatsApp or social media) and the
site's icons, drawn at build time with Pillow.

A card is drawn on an 8-bit canvas whose values index a palette of colour ramps, one per pair of
background and text colour. Antialiased text blends the canvas value between its background's
index and its colour's, which is a blend of the two colours, so the canvas is written as a palette
PNG as it is: no quantising, and far fewer bytes than RGB. The fonts are shipped
(digest/data/fonts), so the same Pillow gives the same bytes on every machine. Glyphs are drawn
once per process and pasted, far cheaper than FreeType drawing each line again.

Deflating the pixels cost more than drawing them, and most rows of a card are those of every other
card (the bands, the site's title, the kicker of every article, blank rows). So a card is cut into
bands of rows: each line of text's rows, and the rows between. Each band is deflated on its own
(no reference reaches outside it, so the bytes depend on the band alone) and kept while it keeps
coming back; the PNG's one zlib stream is those blocks joined, written here rather than by Pillow.
"""

from __future__ import annotations

import functools
import io
import struct
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest import urls
from digest.errors import DigestError, Problem
from digest.site import formatting

if TYPE_CHECKING:
    from PIL import Image, ImageFont
    from PIL._imaging import ImagingCore

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
# A row of the PNG's data: the filter byte (0, none: the usual filter of a palette image), then
# the pixels. Canvases are this wide, their first column the filter byte, so their bytes are the
# PNG's data as they are.
_ROW = WIDTH + 1
# zlib level 2: as fast as level 1 on cards, for files a twentieth smaller; level 3 is slower.
_LEVEL = 2
_BANDS_KEPT = 1024  # deflated bands kept per painter: those that recur stay while unique headlines pass


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
    if make is None or ("pager" in page.context and page.context["pager"].number > 1):
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
            first = page.context["pager"].first if "pager" in page.context else page.url
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
    # What pasting reads, kept rather than asked of Pillow's properties for every glyph drawn.
    core: ImagingCore = field(compare=False)
    width: int = field(compare=False)
    height: int = field(compare=False)


@dataclass(frozen=True)
class Line:
    """One line of text on a card: its font, where its pen starts, and its ramp's text index."""

    role: str
    x: int
    y: int
    text: str
    colour: int


@dataclass(frozen=True)
class Block:
    """A band of a card's rows deflated on its own: the bytes, and the adler32 and length of the
    rows they hold (the zlib stream's checksum is combined from these)."""

    deflated: bytes
    adler: int
    size: int


class _Advances(dict[str, float]):
    """One font's advance widths by character, 0 for a character it lacks, each found once."""

    def __init__(self, glyph: Callable[[str], Glyph | None]):
        super().__init__()
        self._glyph = glyph

    def __missing__(self, ch: str) -> float:
        glyph = self._glyph(ch)
        self[ch] = glyph.advance if glyph else 0.0
        return self[ch]


_MISSING = "\ufffe"  # a noncharacter: every font draws it as its "missing" box


class Painter:
    """Draws cards and icons; made once per build (fonts and glyphs are loaded on first use)."""

    def __init__(self, site_title: str, site_description: str):
        self.site_title = site_title
        self.site_description = site_description
        self._glyphs: dict[tuple[str, str], Glyph | None] = {}
        self._advances: dict[str, _Advances] = {}
        self._blanks: dict[int, Image.Image] = {}
        self._block = functools.lru_cache(maxsize=_BANDS_KEPT)(self._deflate)

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
        return Glyph(mask, left, top, font.getlength(ch), mask.im, mask.width, mask.height)

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
        """The text's width: wrapping asks it of every line as it grows, so advances are looked up
        in a dict rather than through the glyphs."""
        if role not in self._advances:
            self._advances[role] = _Advances(functools.partial(self._glyph, role))
        return sum(map(self._advances[role].__getitem__, text))

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

    def _draw(self, canvas: Image.Image, line: Line, top: int = 0) -> None:
        """Paste each glyph's coverage as the line's colour (blending canvas values, as
        ImageDraw.text would), on a canvas of the card's rows from `top` on."""
        x: float = line.x + 1  # past the filter byte
        y = line.y - top
        core = canvas.im  # the pasting Image.paste does, without its checks for every glyph
        for ch in line.text:
            glyph = self._glyph(line.role, ch)
            if glyph:
                left, up = round(x) + glyph.left, y + glyph.top
                core.paste(line.colour, (left, up, left + glyph.width, up + glyph.height), glyph.core)
                x += glyph.advance

    def _rows(self, line: Line) -> tuple[int, int] | None:
        """The rows the line's glyphs cover, from the first to past the last; None if it has none."""
        glyphs = [g for ch in line.text if (g := self._glyph(line.role, ch))]
        if not glyphs:
            return None
        return line.y + min(g.top for g in glyphs), line.y + max(g.top + g.height for g in glyphs)

    def _blank(self, details: int) -> Image.Image:
        """A card without its own text (bands, the site's title) for `details` lines of details,
        drawn once, its rows as the PNG holds them (the filter byte first)."""
        from PIL import Image, ImageDraw

        if details not in self._blanks:
            canvas = Image.new("P", (_ROW, HEIGHT), _HEADLINE)
            canvas.putpalette(self._palette)
            draw = ImageDraw.Draw(canvas)
            draw.rectangle((1, 0, WIDTH, 96), fill=_BAND)
            draw.rectangle((1, 120, WIDTH, 176), fill=_KICKER)
            draw.rectangle((1, _bottom(details), WIDTH, HEIGHT), fill=_DETAIL)
            title = self._lines("band", self.site_title, _INNER, 1)[0]
            self._draw(canvas, Line("band", _MARGIN, 24, title, _BAND + 63))
            self._blanks[details] = canvas
        return self._blanks[details]

    def layout(self, card: Card) -> tuple[int, list[Line]]:
        """The lines of details the card's bands leave room for, and its lines of text in the
        order they are drawn."""
        item = card.item
        title = item.title if item else card.title or self.site_description
        details = card.details
        if item:
            place = f"{item.regency.name}, {item.province.name}" if item.regency else item.province.name
            elections = ", ".join(e.label for e in item.elections)
            details = (f"{formatting.long_date(item.date)} · {place}", f"{item.stage.label} · {elections}")
        bottom = _bottom(len(details))
        lines = [Line("kicker", _MARGIN, 128, self._lines("kicker", card.kicker.upper(), _INNER, 1)[0], _KICKER + 63)]
        lines += [Line("headline", _MARGIN, 190 + 70 * n, text, _HEADLINE + 63)
                  for n, text in enumerate(self._lines("headline", title, _INNER, (bottom - 196) // 70))]
        lines += [Line("detail", _MARGIN, bottom + 24 + 46 * n, self._lines("detail", text, _INNER, 1)[0], _DETAIL + 63)
                  for n, text in enumerate(details)]
        return len(details), lines

    def _bands(self, lines: list[Line]) -> Iterator[tuple[int, int, tuple[Line, ...]]]:
        """The card's rows cut into bands, top to bottom: (first row, past the last, the lines
        drawn there in their order). Lines whose rows overlap share a band."""
        spans = sorted((*rows, n) for n, line in enumerate(lines) if (rows := self._rows(line)))
        merged: list[tuple[int, int, list[int]]] = []
        for top, bottom, n in spans:
            if merged and top < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(bottom, merged[-1][1]), [*merged[-1][2], n])
            else:
                merged.append((top, bottom, [n]))
        at = 0
        for first, last, members in merged:
            top, bottom = max(first, at), min(last, HEIGHT)
            if at < top:
                yield at, top, ()
            yield top, bottom, tuple(lines[n] for n in sorted(members))
            at = bottom
        if at < HEIGHT:
            yield at, HEIGHT, ()

    def _deflate(self, details: int, top: int, bottom: int, lines: tuple[Line, ...]) -> Block:
        """A band of a card's rows drawn and deflated on its own (kept by `_block`)."""
        band = self._blank(details).crop((0, top, _ROW, bottom))
        for line in lines:
            self._draw(band, line, top)
        rows = band.tobytes()
        deflate = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)  # raw deflate: blocks to join
        return Block(deflate.compress(rows) + deflate.flush(zlib.Z_SYNC_FLUSH), zlib.adler32(rows), len(rows))

    def card(self, card: Card) -> bytes:
        """The card as a palette PNG."""
        return self.png(*self.layout(card))

    def png(self, details: int, lines: list[Line]) -> bytes:
        """A palette PNG of these lines drawn on the card's bands for `details` lines of details."""
        blocks = [self._block(details, top, bottom, drawn) for top, bottom, drawn in self._bands(lines)]
        return self._head + _chunk(b"IDAT", _zlib_stream(blocks)) + _chunk(b"IEND", b"")

    @functools.cached_property
    def _head(self) -> bytes:
        """A card's PNG up to its pixels: the signature, its size and depth, its palette."""
        header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 3, 0, 0, 0)  # 8-bit palette, no interlacing
        return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", bytes(self._palette))

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


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data, and the CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


_ADLER_BASE = 65521


def _adler_join(first: int, second: int, size: int) -> int:
    """The adler32 of two byte strings joined, from each one's and the second's length (zlib's
    adler32_combine, which Python does not expose)."""
    rem = size % _ADLER_BASE
    low = (first & 0xFFFF) + (second & 0xFFFF) - 1
    high = (first >> 16) + (second >> 16) + rem * (first & 0xFFFF) - rem
    return (high % _ADLER_BASE) << 16 | low % _ADLER_BASE


def _zlib_stream(blocks: list[Block]) -> bytes:
    """One zlib stream of deflated blocks, each ended on a byte boundary (a sync flush): a
    header, the blocks, a last empty block and the adler32 of all they hold."""
    adler = 1  # the adler32 of nothing
    for block in blocks:
        adler = _adler_join(adler, block.adler, block.size)
    # 0x78 0x01: deflate, a 32 KB window, no dictionary; 0x03 0x00: a final, empty, fixed-code block
    return b"\x78\x01" + b"".join(block.deflated for block in blocks) + b"\x03\x00" + struct.pack(">I", adler)


def _png(image: Image.Image, **options: Any) -> bytes:
    """An icon's bytes: nothing but pixels (Pillow writes no time or text chunk unless asked)."""
    out = io.BytesIO()
    image.save(out, **{"format": "PNG", **options})
    return out.getvalue()
