"""The icons and share images as a browser fetches them from a static server: every file a page
names is there with the right type, and Chromium draws the SVG icon as Pillow drew the PNG."""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageChops, ImageStat

from digest import urls
from tests.sitetools import relative


def _named(page) -> list[str]:
    """Every icon and share image URL the page names (absolute, as the browser resolved them)."""
    return page.evaluate("""() => [
        ...[...document.querySelectorAll('link[rel=icon], link[rel=apple-touch-icon]')].map(l => l.href),
        document.querySelector('meta[property="og:image"]').content]""")


def test_every_icon_and_share_image_a_page_names_is_served(e2e_site, browser):
    base, _ = e2e_site
    context = browser.new_context(base_url=base)
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(relative(urls.HOME))
    article = page.locator("ol.entries h3 a").first.get_attribute("href")
    types = {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/"}
    for path in (urls.HOME, article, urls.PROVINCES, urls.SEARCH, urls.NOT_FOUND):
        page.goto(relative(path))
        named = _named(page)
        assert len(named) == 4, path
        for url in named:
            response = page.request.get(url)
            assert response.status == 200, url
            assert response.headers["content-type"].startswith(types[url[url.rindex("."):]]), url
    assert page.request.get(relative(urls.FAVICON)).status == 200  # asked for when a page names no icon
    assert failed == []
    context.close()


def test_chromium_draws_the_svg_icon_as_pillow_drew_the_png(e2e_site, browser):
    base, _ = e2e_site
    context = browser.new_context(viewport={"width": 64, "height": 64})
    page = context.new_page()
    page.set_content(f'<body style="margin:0;background:#fff"><img src="{base}{relative(urls.ICON_SVG)}" '
                     'width="32" height="32" style="display:block"></body>')
    page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth > 0")
    drawn = Image.open(io.BytesIO(page.screenshot(clip={"x": 0, "y": 0, "width": 32, "height": 32}))).convert("RGB")
    png = Image.open(io.BytesIO(page.request.get(f"{base}{relative(urls.ICON_PNG)}").body())).convert("RGBA")
    on_white = Image.alpha_composite(Image.new("RGBA", png.size, "white"), png).convert("RGB")
    diff = ImageStat.Stat(ImageChops.difference(drawn, on_white).convert("L")).mean[0]
    assert diff < 6, diff  # antialiasing apart, the same picture (the check mark moved by 2 units: 14)
    assert drawn.getpixel((16, 4)) == on_white.getpixel((16, 4)) == (0x0B, 0x53, 0x94)
    context.close()


def test_chromium_decodes_a_share_card_to_the_pixels_pillow_decodes(e2e_site, browser):
    """Cards are written by digest's own PNG encoder (bands deflated apart): a browser must read them
    as Pillow does, every pixel."""
    base, _ = e2e_site
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto(relative(urls.HOME))
    article = page.locator("ol.entries h3 a").first.get_attribute("href")
    for path in (urls.HOME, article):
        page.goto(relative(path))
        url = page.locator('meta[property="og:image"]').get_attribute("content")  # absolute: the server's
        width, height, data = page.evaluate("""async url => {
            const image = new Image();
            image.src = url;
            await image.decode();
            const canvas = new OffscreenCanvas(image.naturalWidth, image.naturalHeight);
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let text = '';
            for (let at = 0; at < pixels.length; at += 8192) {
                text += String.fromCharCode(...pixels.subarray(at, at + 8192));
            }
            return [canvas.width, canvas.height, btoa(text)];
        }""", url)
        pillow = Image.open(io.BytesIO(page.request.get(url).body()))
        assert (width, height) == pillow.size == (1200, 630)
        assert base64.b64decode(data) == pillow.convert("RGBA").tobytes(), path
    context.close()
