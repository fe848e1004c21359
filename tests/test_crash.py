"""Crash safety: `digest build` killed (SIGKILL) at random moments leaves site/ either the complete
previous site or the complete new one, and the next build works.

A moment is a step on the file system (an open for writing, a rename, a link, a removal, a new
folder: Python's audit events), chosen at random among all the steps a build takes, so the kills
land on the steps that matter rather than on a timer's guess, and no test waits."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from digest.build import build
from tests.conftest import ROOT, make_config
from tests.corpus import edit_entry, write_corpus
from tests.sitetools import tree_bytes

KILLS = 30

# Runs `digest build` (argv[1:]) once for every number N read on stdin, each time in a forked child
# of its own process group (the interpreter and digest are loaded once, not 32 times), and kills the
# child with its workers at its Nth step on the file system; N = 0 counts the steps instead. Writes
# one line per run: [exit status, steps taken]. No bytecode is written: a .pyc saved by one run and
# not the next would make their steps differ.
KILL_AT_STEP = """
import json, os, signal, sys
sys.dont_write_bytecode = True
from digest import cli
from digest.commands import build
STEPS = {"os.rename", "os.remove", "os.link", "os.symlink", "os.mkdir", "os.rmdir", "shutil.rmtree", "os.truncate"}
for line in sys.stdin:
    kill_at, steps = int(line), [0]
    child = os.fork()
    if child == 0:
        os.setpgid(0, 0)
        def hook(event, args):
            if event in STEPS or (event == "open" and args[2] & (os.O_WRONLY | os.O_RDWR)):
                steps[0] += 1
                if steps[0] == kill_at:
                    os.killpg(0, signal.SIGKILL)
        sys.addaudithook(hook)
        code = cli.main(sys.argv[1:])
        print(json.dumps([code, steps[0]]), flush=True)
        sys.stderr.flush()
        os._exit(0)
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) == -signal.SIGKILL:
        print(json.dumps([-signal.SIGKILL, None]), flush=True)
"""


class Killer:
    """The process that runs the builds to kill, fed one step number at a time."""

    def __init__(self, command: list[str], cwd: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", KILL_AT_STEP, *command], cwd=cwd,
                                     env=dict(os.environ, PYTHONPATH=str(ROOT)), text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def build_killed_at(self, step: int) -> tuple[int, int | None]:
        """(exit status, steps taken) of the build killed at its `step`th step (0: not killed)."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{step}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, self.close()
        code, steps = json.loads(line)
        return code, steps

    def close(self) -> str:
        """Its error output, once it has ended."""
        _, err = self.proc.communicate(timeout=60)
        return err


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
    killer = Killer(["build", "--config", str(config), "--content", str(tmp_path / "content"), "--output", str(site),
                     "--quiet"], tmp_path)
    # Every run below starts from the cache the two builds above left (entries parsed, no record
    # of site/), so all take the same steps.
    cache, warm = tmp_path / ".digest-cache", tmp_path / "warm-cache"
    shutil.copytree(cache, warm, symlinks=True)
    shutil.copytree(old.output, site, symlinks=True)
    code, steps = killer.build_killed_at(0)
    assert code == 0 and steps > 100, (steps, killer.close())  # a build of 150 entries has many steps to kill it in
    outcomes = {"old": 0, "new": 0}
    for step in sorted(rng.sample(range(1, steps + 1), KILLS)):
        for folder, start in ((cache, warm), (site, old.output)):  # the warm cache and the published site
            shutil.rmtree(folder)
            shutil.copytree(start, folder, symlinks=True)
        code, _ = killer.build_killed_at(step)
        assert code == -signal.SIGKILL, f"step {step} of {steps}: {killer.close()}"
        now = tree_bytes(site)
        assert now in (old_tree, new_tree), f"site/ is a mix of two builds (killed at step {step} of {steps})"
        outcomes["old" if now == old_tree else "new"] += 1
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes  # the kills landed before and after the swap
    # and the next build after a kill mid-build completes normally
    shutil.rmtree(site)
    shutil.copytree(old.output, site, symlinks=True)
    assert killer.build_killed_at(steps // 2)[0] == -signal.SIGKILL
    assert killer.build_killed_at(0)[0] == 0
    assert killer.close() == ""
    assert tree_bytes(site) == new_tree
