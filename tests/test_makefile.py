"""`make test` on a machine where apt-get cannot run (issue 17: another apt-get
holding the dpkg lock failed the whole of `make test`)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_the_browser_set_up_gives_way_when_apt_get_cannot_run():
    # SUDO=false: every apt-get fails, as one locked out by another does
    done = subprocess.run(["make", "-s", "browser", "CHROMIUM=/nonexistent", "APT_WAIT=0",
                           "SUDO=false"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "the browser tests will be skipped" in done.stdout


def test_make_test_runs_the_soak_only_when_asked():
    makefile = (ROOT / "Makefile").read_text()
    assert "PEACETRACK_SOAK=1" in makefile.split("soak:")[1].split("\n\n")[0]
