"""The browser editor's configuration (/admin/config.yml) and page, as the build writes them: the
form follows the content schema and offers exactly the reference data, every choice is one the
schema accepts, the files Decap's own YAML writer makes from the form pass `digest check`, the
output is deterministic and rebuilt when its settings change, and settings errors name their line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml

from digest import config as config_mod
from digest import urls
from digest.build import build
from digest.content.frontmatter import Document
from digest.content.schema import REQUIRED, REVIEWABLE, TOP_KEYS, validate
from digest.errors import DigestError
from digest.reference.refdata import DATA_DIR, load
from tests.conftest import ROOT
from tests.sitetools import page_file, parse, sitemap, tree_bytes
from tests.test_serve import get, server  # noqa: F401  server: the fixture, used by name

REF = load()
MODULES = ROOT / "tests" / "e2e" / "node_modules"
ENTRIES = ["2023-10-16-kpu-polres-batu-rakor-pengamanan-pemilu.md"]


def _project(tmp_path: Path, settings: str = "") -> Path:
    """A small project with the shipped digest.yaml (cms: true), and `settings` lines appended."""
    (tmp_path / "content").mkdir(parents=True)
    for name in ENTRIES:
        shutil.copy(ROOT / "content" / name, tmp_path / "content" / name)
    shipped = (ROOT / "digest.yaml").read_text(encoding="utf-8")
    shipped = shipped.replace("\ntemplates: templates\n", f"\ntemplates: {ROOT / 'templates'}\n")
    (tmp_path / "digest.yaml").write_text(shipped + settings, encoding="utf-8")
    return tmp_path


def _build(root: Path, **options) -> Path:
    cfg = config_mod.load(root / "digest.yaml", output=root / "site", search=False)
    build(cfg, config_path=root / "digest.yaml", jobs=1, **options)
    return root / "site"


def _decap(site: Path) -> dict:
    return yaml.safe_load(page_file(site, urls.CMS_CONFIG).read_text(encoding="utf-8"))


def _fields(site: Path) -> dict[str, dict]:
    return {f["name"]: f for f in _decap(site)["collections"][0]["fields"]}


def _accepts(meta: dict) -> list[str]:
    """The schema's problems with an entry of these fields (beside valid required ones)."""
    base = {"title": "Rakor pengamanan", "date": "2024-02-01", "province": "Banten", "election": "pemilu-2024",
            "stage": "persiapan"}
    _, problems = validate(Document("x.md", {**base, **meta}), REF)
    return [p.message for p in problems]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _build(_project(tmp_path_factory.mktemp("cms")))


def test_the_form_has_every_schema_key_in_order_required_as_the_schema_says(site):
    decap = _decap(site)
    (collection,) = decap["collections"]
    assert [f["name"] for f in collection["fields"]] == [*TOP_KEYS, "body"]
    assert {f["name"] for f in collection["fields"] if f["required"]} == {*REQUIRED, "body"}
    assert collection["folder"] == "content" and collection["extension"] == "md"
    assert decap["publish_mode"] == "editorial_workflow"
    assert decap["backend"] == {"name": "github", "repo": "digest-pemilu/digest", "branch": "main"}
    fields = _fields(site)
    assert [f["name"] for f in fields["source"]["fields"]] == ["outlet", "url", "author"]
    assert [f["name"] for f in fields["officials"]["fields"]] == ["name", "rank", "role"]
    assert [f["name"] for f in fields["figures"]["fields"]] == ["personnel", "budget_idr"]
    limits = yaml.safe_load((DATA_DIR / "limits.yaml").read_text(encoding="utf-8"))["figures"]
    assert {f["name"]: f["max"] for f in fields["figures"]["fields"]} == limits
    # days are written as the schema reads them, never with a time or a zone
    assert all(fields[k]["widget"] == "datetime" and fields[k]["date_format"] == "YYYY-MM-DD"
               and fields[k]["time_format"] is False for k in ("date", "published", "added"))


def test_every_choice_is_the_reference_data_and_one_the_schema_accepts(site):
    fields = _fields(site)
    provinces = fields["province"]["options"]
    assert len(provinces) == 38 and provinces == [p.name for p in REF.provinces]
    assert all(_accepts({"province": name}) == [] for name in provinces)

    regencies = fields["regency"]["options"]
    assert len(regencies) == 514 == len({o["value"] for o in regencies})
    by_name = {p.name: p for p in REF.provinces}
    found = set()
    for option in regencies:  # "Kota Batu · Jawa Timur": the value lies in the province the label names
        province = option["label"].rsplit(" · ", 1)[1]
        entry, problems = validate(Document("x.md", {"title": "t", "date": "2024-02-01", "province": province,
                                                     "regency": option["value"], "election": "pemilu-2024",
                                                     "stage": "persiapan"}), REF)
        assert problems == [] and REF.regency_by_code[entry.regency].province_code == by_name[province].code
        found.add(entry.regency)
    assert found == set(REF.regency_by_code)  # each choice is a different kab/kota, and none is missing

    assert [o["value"] for o in fields["stage"]["options"]] == list(REF.stages)
    assert [o["value"] for o in fields["election"]["options"]] == list(REF.elections)
    assert fields["election"]["multiple"] is True
    assert _accepts({"election": [o["value"] for o in fields["election"]["options"]]}) == []
    assert fields["review"]["options"] == list(REVIEWABLE)
    assert _accepts({"review": fields["review"]["options"]}) == []


def test_topics_and_ranks_stay_open_text_with_the_reference_lists_as_suggestions(site):
    fields = _fields(site)
    topics, rank = fields["topics"], fields["officials"]["fields"][1]
    suggested = yaml.safe_load((DATA_DIR / "topics.yaml").read_text(encoding="utf-8"))
    stored = set(yaml.safe_load((DATA_DIR / "ranks.yaml").read_text(encoding="utf-8"))["ranks"].values())
    assert all(t in topics["hint"] for t in suggested) and all(r in rank["hint"] for r in stored)
    # Not selects: Decap's select hides a value outside its options and drops it once touched, and
    # the shipped content already uses topics and ranks (with a corps) beyond the lists.
    assert "options" not in topics and "options" not in rank
    used_topics, used_ranks = set(), set()
    for path in (ROOT / "content").rglob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]) or {}
        used_topics |= set(meta.get("topics") or ())
        used_ranks |= {o["rank"] for o in meta.get("officials") or () if isinstance(o, dict) and o.get("rank")}
    assert used_topics - set(suggested) and used_ranks - stored


def test_the_admin_page_loads_the_pinned_editor_and_its_generated_config(tmp_path):
    root = _project(tmp_path)
    site = _build(root)
    doc = parse(site, urls.ADMIN)
    assert doc.get("lang") == "id"
    (script,) = doc.xpath("//script[@src]")
    pinned = yaml.safe_load((DATA_DIR / "cms.yaml").read_text(encoding="utf-8"))["script"]
    assert script.get("src") == pinned["url"] and f"@{pinned['version']}/" in pinned["url"]
    assert script.get("integrity") == pinned["integrity"] and script.get("integrity").startswith("sha384-")
    assert script.get("crossorigin") == "anonymous"
    assert doc.xpath("//link[@rel='cms-config-url']/@href") == ["/admin/config.yml"]
    assert doc.xpath("//meta[@name='robots']/@content") == ["noindex, nofollow"]
    listed = sitemap(site)
    assert listed and not any(urls.ADMIN in loc for loc in listed)

    # under a sub-path, the page finds its config and Decap's media links stay inside the site
    sub = config_mod.load(root / "digest.yaml", output=tmp_path / "sub", search=False,
                          base_url="https://contoh.example.id/digest/")
    build(sub, config_path=root / "digest.yaml", jobs=1)
    assert parse(tmp_path / "sub", urls.ADMIN).xpath("//link[@rel='cms-config-url']/@href") == \
        ["/digest/admin/config.yml"]
    decap = _decap(tmp_path / "sub")
    assert decap["public_folder"] == "/digest/static/media" and decap["site_url"] == "https://contoh.example.id/digest/"


def test_config_is_deterministic_rebuilt_when_its_settings_change_and_absent_when_off(tmp_path):
    root = _project(tmp_path)
    first = tree_bytes(_build(root))
    assert tree_bytes(_build(root, clean=True)) == first
    config_yml = page_file(Path(), urls.CMS_CONFIG).as_posix()
    assert first[config_yml].startswith(b"# Made by `digest build`")

    settings = root / "digest.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "cms_repo: digest-pemilu/digest", "cms_repo: redaksi/digest-jatim"), encoding="utf-8")
    incremental = tree_bytes(_build(root))
    assert _decap(root / "site")["backend"]["repo"] == "redaksi/digest-jatim"
    assert incremental == tree_bytes(_build(root, clean=True))
    assert {k for k in incremental if incremental[k] != first.get(k)} == {config_yml}

    settings.write_text(settings.read_text(encoding="utf-8").replace("cms: true", "cms: false"), encoding="utf-8")
    assert not (_build(root) / "admin").exists()


@pytest.mark.parametrize(("lines", "line", "message"), [
    ("cms: ya\n", 12, "cms must be true or false"),
    ("cms_repo: digest\n", 13,
     "cms_repo 'digest' must name the GitHub repository the editor commits to, as owner/name"),
    ("cms_auth_url: http://auth.example.id\n", 15,
     "cms_auth_url 'http://auth.example.id' must be an absolute https URL"),
])
def test_settings_errors_name_their_line(tmp_path, lines, line, message):
    shipped = (ROOT / "digest.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    key = lines.split(":")[0]
    kept = [x for x in shipped if not x.startswith(f"{key}:") and not x.startswith(f"# {key}:")]
    kept.insert(line - 1, lines)
    (tmp_path / "digest.yaml").write_text("".join(kept), encoding="utf-8")
    with pytest.raises(DigestError) as caught:
        config_mod.load(tmp_path / "digest.yaml")
    assert [f"{p.path}:{p.line}: {p.message}" for p in caught.value.problems] == [
        f"{tmp_path / 'digest.yaml'}:{line}: {message}" + (" (cms: true needs it)" if key == "cms_repo" else "")]


# What Decap 3.16 writes for an entry: decap-cms-core's formats/frontmatter.ts and formats/yaml.ts,
# with the same gray-matter and yaml packages, run by node.
_DECAP_WRITER = """
const matter = require('gray-matter'), yaml = require('yaml');
const {entries, keys} = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const engine = {stringify: (meta) => {
  const contents = yaml.createNode(meta);
  contents.items.sort((a, b) => {
    const i = keys.indexOf(a.key.toString()), j = keys.indexOf(b.key.toString());
    return i === -1 || j === -1 ? 0 : i - j;
  });
  const doc = new yaml.Document(); doc.contents = contents; return doc.toString();
}};
const out = entries.map(({body = '', ...meta}) => {
  const file = matter.stringify(body, meta, {engines: {yaml: engine}, language: 'yaml', delimiters: '---'});
  return body.slice(-1) !== '\\n' && file.slice(-1) === '\\n' ? file.slice(0, -1) : file;
});
process.stdout.write(JSON.stringify(out));
"""

# Entries as the form holds them once an editor has filled it in: every widget's kind of value.
FORMS = [
    {"title": "KPU: Distribusi Logistik Pilkada \"Aman\" di 12 Kecamatan", "date": "2024-11-20",
     "published": "2024-11-21", "added": "2024-11-22", "dateline": "Kota Batu", "province": "Jawa Timur",
     "regency": "Kota Batu", "election": ["pilkada-2024"], "stage": "logistik", "topics": ["logistik", "koordinasi"],
     "agencies": ["KPU Kota Batu", "Polres Batu"],
     "officials": [{"name": "Oskar Syamsuddin", "rank": "AKBP", "role": "Kapolres Batu"}, {"name": "Ahmad"}],
     "figures": {"personnel": 350, "budget_idr": 131000000000},
     "source": {"outlet": "BANGSAONLINE.com", "url": "https://bangsaonline.com/berita/1/x?a=1&b=2#c",
                "author": "Tim: Redaksi"},
     "summary": "Dua kalimat: ringkasan #1 dengan 'kutip' dan \"kutip\".\nBaris kedua - dengan tanda.",
     "draft": False, "review": ["summary", "source.url"],
     "body": "Catatan digest.\n\n---\n\n- butir satu\n- butir: dua\n"},
    {"title": "2024", "date": "2024-02-14", "province": "DKI Jakarta", "election": ["pemilu-2024", "pilkada-2024"],
     "stage": "pemungutan", "summary": "null", "draft": True, "body": "Isi."},
]


@pytest.mark.skipif(not shutil.which("node") or not (MODULES / "gray-matter").exists(),
                    reason="node or the e2e npm packages not installed")
def test_files_decaps_writer_makes_from_the_form_pass_digest_check(tmp_path):
    keys = [*TOP_KEYS, "body"]
    written = subprocess.run(["node", "-e", _DECAP_WRITER], input=json.dumps({"entries": FORMS, "keys": keys}),
                             capture_output=True, text=True, cwd=MODULES, timeout=60, check=True)
    (tmp_path / "content").mkdir()
    for n, text in enumerate(json.loads(written.stdout)):
        (tmp_path / "content" / f"entry-{n}.md").write_text(text, encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "digest", "check", "--format", "json", "content"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(checked.stdout)
    assert (checked.returncode, report["errors"]) == (0, 0), report["problems"]
    first = (tmp_path / "content" / "entry-0.md").read_text(encoding="utf-8")
    front = yaml.safe_load(first.split("---\n")[1])
    assert list(front) == [k for k in TOP_KEYS if k in FORMS[0]]  # the schema's order
    assert front["title"] == FORMS[0]["title"] and front["summary"] == FORMS[0]["summary"]


def test_the_preview_never_reloads_the_editor_under_an_editors_hands(server):  # noqa: F811  the fixture
    base, _, _ = server
    status, body = get(base + urls.ADMIN.lstrip("/"))
    assert status == 200
    assert not any("/__digest/events" in (s.text or "") for s in lxml.html.fromstring(body).cssselect("script"))
    assert any("/__digest/events" in (s.text or "") for s in lxml.html.fromstring(get(base)[1]).cssselect("script"))
