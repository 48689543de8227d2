"""Docs are tested: every command and setting is in the README, and the
README opens with the two commands CI and newcomers run."""

from __future__ import annotations

import peacetrack
from peacetrack.cli import COMMANDS, build_parser
from peacetrack.settings import SETTINGS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    head = README[:1500]
    assert "make demo" in head and "make test" in head


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_command_is_documented():
    for name in COMMANDS:
        assert f"peacetrack {name}" in README, name


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"`{setting.name}`" in README, setting.name


def test_every_flag_is_documented():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in README, f"{name} {flag}"


def test_public_api_is_what_all_says():
    for name in peacetrack.__all__:
        assert hasattr(peacetrack, name), name
    assert callable(peacetrack.analyse)
