"""The README documents every command and named query, and its quick start is two commands."""

import re

from conftest import ROOT

from kg.cli import main
from kg.query import named_queries

README = (ROOT / "README.md").read_text()


def test_readme_covers_every_command():
    for name in main.commands:
        assert f"`kg {name}" in README, f"README does not document `kg {name}`"


def test_readme_covers_every_named_query():
    for name in named_queries():
        assert f"`{name}`" in README, f"README does not list the named query {name}"


def test_every_command_has_help():
    for name, command in main.commands.items():
        assert command.help, name


def test_quick_start_is_two_commands_and_ci_runs_them():
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", README, re.S)[1]
    commands = block.strip().splitlines()
    assert commands == ["pip install -e '.[test]' && kg build", "pytest"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 -m pip install -q -e '.[test]'\nkg build\n" in ci and ci.rstrip().endswith("\npytest")
