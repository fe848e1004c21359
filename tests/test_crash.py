"""Crash safety: `digest build` killed (SIGKILL) at random moments leaves site/ either the complete
previous site or the complete new one, and the next build works.

A moment is a step on the file system (an open for writing, a rename, a link, a removal, a new
folder: Python's audit events), so the kills land on the steps that matter rather than on a
timer's guess, and no test waits. Steps are told apart by their phase (the kind of step and the
folder it touches: the site being written, the previous generation, the cache, a folder being
removed): the kills hit a random step of every phase, then random steps of the whole build, so a
phase of one or two steps (the swap, the cache's renames) is hit as surely as the page writes."""

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

EXTRA_KILLS = 8  # at random steps, after one in every phase

# Runs `digest build` (argv[1:]) once for every number N read on stdin, each time in a forked child
# of its own process group (the interpreter and digest are loaded once, not once a run), and kills
# the child with any process it started at its Nth step on the file system (N = 0: never). Writes one line per
# run: [exit status, the phase of every step taken (its kind and the top folder it touches in the
# project, or "elsewhere"), or null when killed]. No bytecode is written: a .pyc saved by one run
# and not the next would make their steps differ.
KILL_AT_STEP = """
import json, os, signal, sys
sys.dont_write_bytecode = True
from digest import cli
from digest.commands import build
STEPS = {"os.rename", "os.remove", "os.link", "os.symlink", "os.mkdir", "os.rmdir", "shutil.rmtree", "os.truncate"}
DIR_FD = {"os.remove": 1, "os.rmdir": 1, "os.mkdir": 2}  # where the event's dir_fd is (-1: none)
def phase(event, args):
    if not isinstance(args[0], (str, bytes, os.PathLike)):
        return f"{event} of an open file"
    if event in DIR_FD and args[DIR_FD[event]] != -1:
        return f"{event} in a folder being removed"  # shutil.rmtree's steps name a file in an open folder
    rel = os.path.relpath(os.path.abspath(os.fsdecode(args[0])))
    return f"{event} in " + ("elsewhere" if rel.startswith("..") else rel.split(os.sep)[0])
for line in sys.stdin:
    kill_at, phases = int(line), []
    child = os.fork()
    if child == 0:
        os.setpgid(0, 0)
        def hook(event, args):
            if event in STEPS or (event == "open" and args[2] & (os.O_WRONLY | os.O_RDWR)):
                phases.append(phase(event, args))
                if len(phases) == kill_at:
                    os.killpg(0, signal.SIGKILL)
        sys.addaudithook(hook)
        code = cli.main(sys.argv[1:])
        print(json.dumps([code, phases]), flush=True)
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

    def build_killed_at(self, step: int) -> tuple[int, list[str] | None]:
        """(exit status, phases of the steps taken) of the build killed at its `step`th step (0: not killed)."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{step}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, self.close()
        code, phases = json.loads(line)
        return code, phases

    def close(self) -> str:
        """Its error output, once it has ended."""
        _, err = self.proc.communicate(timeout=60)
        return err


def test_killed_builds_leave_old_or_new_site_never_a_mix(tmp_path):
    generated = write_corpus(tmp_path / "content", n=24)
    config = tmp_path / "digest.yaml"
    config.write_text((ROOT / "digest.yaml").read_text(encoding="utf-8").replace(
        "templates: templates", f"templates: {ROOT / 'templates'}"), encoding="utf-8")
    old = make_config(tmp_path / "old", tmp_path / "content")
    build(old)
    old_tree = tree_bytes(old.output)
    for g in generated[:8]:
        edit_entry(g.path, title=f"Diperbarui: {g.id}")
    new = make_config(tmp_path / "new", tmp_path / "content")
    build(new)
    new_tree = tree_bytes(new.output)
    assert old_tree != new_tree
    site = tmp_path / "site"
    rng = random.Random(7)
    killer = Killer(["build", "--config", str(config), "--content", str(tmp_path / "content"), "--output", str(site),
                     "--quiet", "--jobs", "1"], tmp_path)
    # Every run below starts from the cache the two builds above left (entries parsed, no record
    # of site/) and the old site, nothing beside it, so all take the same steps, in one process
    # (worker processes would count their steps apart): its Nth step is the Nth of the first run.
    cache, warm = tmp_path / ".digest-cache", tmp_path / "warm-cache"
    shutil.copytree(cache, warm, symlinks=True)
    shutil.copytree(old.output, site, symlinks=True)
    code, phases = killer.build_killed_at(0)
    assert code == 0 and phases, killer.close()
    steps_in: dict[str, list[int]] = {}
    for step, phase in enumerate(phases, 1):
        steps_in.setdefault(phase, []).append(step)
    # the build writes the new site beside the old, keeps the old as the previous generation, saves its cache
    assert {phase.partition(" in ")[2] for phase in steps_in} >= {".site.work", ".site.prev", ".digest-cache"}, steps_in
    kills = {rng.choice(steps) for steps in steps_in.values()} | set(rng.sample(range(1, len(phases) + 1), EXTRA_KILLS))
    outcomes, hit = {"old": 0, "new": 0}, set()
    for step in sorted(kills):
        for leftover in (tmp_path / ".site.work", tmp_path / ".site.prev"):  # each run starts as the first did
            shutil.rmtree(leftover, ignore_errors=True)
        for folder, start in ((cache, warm), (site, old.output)):  # the warm cache and the published site,
            shutil.rmtree(folder)  # as hard links: a build replaces files, it never writes into one
            shutil.copytree(start, folder, symlinks=True, copy_function=os.link)
        code, _ = killer.build_killed_at(step)
        assert code == -signal.SIGKILL, f"step {step} of {len(phases)}: {killer.close()}"
        now = tree_bytes(site)
        assert now in (old_tree, new_tree), f"site/ is a mix of two builds (killed at step {step}, {phases[step - 1]})"
        outcomes["old" if now == old_tree else "new"] += 1
        hit.add(phases[step - 1])
    assert hit == set(steps_in), set(steps_in) - hit  # a kill in every phase
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes  # the kills landed before and after the swap
    # and the next build after a kill mid-build completes normally
    shutil.rmtree(site)
    shutil.copytree(old.output, site, symlinks=True)
    assert killer.build_killed_at(len(phases) // 2)[0] == -signal.SIGKILL
    assert killer.build_killed_at(0)[0] == 0
    assert killer.close() == ""
    assert tree_bytes(site) == new_tree
