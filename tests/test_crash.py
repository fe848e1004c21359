"""Crash safety: `digest build` killed (SIGKILL) at random moments leaves site/ either the complete
previous site or the complete new one, and the next build works."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from digest.build import build
from tests.conftest import ROOT, make_config
from tests.corpus import edit_entry, write_corpus
from tests.sitetools import tree_bytes

KILLS = 30


def test_killed_builds_leave_old_or_new_site_never_a_mix(tmp_path):
    generated = write_corpus(tmp_path / "content", n=150)
    config = tmp_path / "digest.yaml"
    config.write_text((ROOT / "digest.yaml").read_text(encoding="utf-8").replace(
        "templates: templates", f"templates: {ROOT / 'templates'}"), encoding="utf-8")
    old = make_config(tmp_path / "old", tmp_path / "content")
    build(old)
    old_tree = tree_bytes(old.output)
    for g in generated[:40]:
        edit_entry(g.path, title=f"Diperbarui: {g.id}")
    new = make_config(tmp_path / "new", tmp_path / "content")
    build(new)
    new_tree = tree_bytes(new.output)
    assert old_tree != new_tree
    site = tmp_path / "site"
    rng = random.Random(7)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "digest", "build", "--config", str(config), "--content",
               str(tmp_path / "content"), "--output", str(site), "--quiet"]
    outcomes = {"old": 0, "new": 0}
    for _ in range(KILLS):
        subprocess.run(["cp", "-a", str(old.output), str(site)], check=True)  # the published site
        proc = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.05, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = tree_bytes(site)
        assert now in (old_tree, new_tree), "site/ is a mix of two builds"
        outcomes["old" if now == old_tree else "new"] += 1
        subprocess.run(["rm", "-rf", str(site)], check=True)
    assert outcomes["old"] > 0  # the kills really landed mid-build
    # and the next build after a kill completes normally
    subprocess.run(["cp", "-a", str(old.output), str(site)], check=True)
    proc = subprocess.Popen(command, cwd=tmp_path, env=env)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert tree_bytes(site) == new_tree
