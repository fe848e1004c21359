"""Crash safety: `digest build` killed (SIGKILL) at random moments leaves site/ either the complete
previous site or the complete new one, and the next build works.

A moment is a step on the file system (an open for writing, a rename, a link, a removal, a new
folder: Python's audit events), chosen at random among all the steps a build takes, so the kills
land on the steps that matter rather than on a timer's guess, and no test waits."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys

from digest.build import build
from tests.conftest import ROOT, make_config
from tests.corpus import edit_entry, write_corpus
from tests.sitetools import tree_bytes

KILLS = 30

# Runs `digest build` (argv[2:]) and kills its whole process group, workers included, at the Nth
# step on the file system (argv[1]); N = 0 counts the steps instead and writes the count to stdout.
KILL_AT_STEP = """
import json, os, signal, sys
from digest import cli
STEPS = {"os.rename", "os.remove", "os.link", "os.symlink", "os.mkdir", "os.rmdir", "shutil.rmtree", "os.truncate"}
kill_at, steps = int(sys.argv[1]), [0]
def hook(event, args):
    if event in STEPS or (event == "open" and args[2] & (os.O_WRONLY | os.O_RDWR)):
        steps[0] += 1
        if steps[0] == kill_at:
            os.killpg(os.getpgid(0), signal.SIGKILL)
sys.addaudithook(hook)
code = cli.main(sys.argv[2:])
if kill_at == 0:
    print(json.dumps(steps[0]))
sys.exit(code)
"""


def _build_killed_at(step: int, command: list[str], cwd, env) -> subprocess.CompletedProcess:
    """The build, killed at its `step`th step on the file system (0: not killed, steps counted)."""
    return subprocess.run([sys.executable, "-c", KILL_AT_STEP, str(step), *command], cwd=cwd, env=env,
                          capture_output=True, text=True, start_new_session=True, timeout=300, check=False)


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
    command = ["build", "--config", str(config), "--content", str(tmp_path / "content"), "--output", str(site),
               "--quiet"]
    # Every run below starts from the cache the two builds above left (entries parsed, no record
    # of site/), so all take the same steps.
    cache, warm = tmp_path / ".digest-cache", tmp_path / "warm-cache"
    subprocess.run(["cp", "-a", str(cache), str(warm)], check=True)
    subprocess.run(["cp", "-a", str(old.output), str(site)], check=True)
    counted = _build_killed_at(0, command, tmp_path, env)
    assert counted.returncode == 0, counted.stderr
    steps = json.loads(counted.stdout)
    assert steps > 100, steps  # a build of 150 entries takes many steps to kill it in
    outcomes = {"old": 0, "new": 0}
    for step in sorted(rng.sample(range(1, steps + 1), KILLS)):
        subprocess.run(["rm", "-rf", str(site), str(cache)], check=True)
        subprocess.run(["cp", "-a", str(warm), str(cache)], check=True)
        subprocess.run(["cp", "-a", str(old.output), str(site)], check=True)  # the published site
        killed = _build_killed_at(step, command, tmp_path, env)
        assert killed.returncode == -signal.SIGKILL, f"step {step} of {steps}: {killed.stderr}"
        now = tree_bytes(site)
        assert now in (old_tree, new_tree), f"site/ is a mix of two builds (killed at step {step} of {steps})"
        outcomes["old" if now == old_tree else "new"] += 1
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes  # the kills landed before and after the swap
    # and the next build after a kill mid-build completes normally
    subprocess.run(["rm", "-rf", str(site)], check=True)
    subprocess.run(["cp", "-a", str(old.output), str(site)], check=True)
    assert _build_killed_at(steps // 2, command, tmp_path, env).returncode == -signal.SIGKILL
    done = _build_killed_at(0, command, tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert tree_bytes(site) == new_tree
