"""Real-browser fixtures: the built site on a plain static server, headless Debian chromium via
Playwright, axe-core from npm. Skipped (with the reason) where the browser is not installed;
CI installs it (.ci/run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest.build import build
from tests.conftest import CHROMIUM, ROOT, make_config
from tests.corpus import write_corpus
from tests.sitetools import static_server

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright not installed"
    if not Path(CHROMIUM).exists():
        return "chromium not installed (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core not installed (npm install in tests/e2e)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason:
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def e2e_site(tmp_path_factory):
    """The shipped content plus a generated corpus, built as for production and served statically."""
    tmp = tmp_path_factory.mktemp("e2e")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    write_corpus(content / "generated", n=120, provinces=12)
    with static_server(tmp / "site") as base:
        cfg = make_config(tmp, content, base_url=base)
        build(cfg)
        yield base, cfg


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    pg = context.new_page()
    yield pg
    context.close()


def axe_violations(page) -> list[tuple[str, str, int]]:
    """Serious and critical axe-core violations on the page: (rule, impact, nodes)."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run()).violations.map(v => [v.id, v.impact, v.nodes.length])")
    return [tuple(v) for v in found if v[1] in ("serious", "critical")]


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
