import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "facts"


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """A writable copy of the small hand-built fixture world."""
    dest = tmp_path / "facts"
    shutil.copytree(FIXTURES, dest)
    return dest


@pytest.fixture
def kg(tmp_path: Path, monkeypatch):
    """Run the real CLI in-process, from an empty working directory (so the store goes to tmp_path/.kg)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


def run_console(*args, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `kg` console script in a real process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kg = shutil.which("kg") or str(Path(sys.executable).parent / "kg")
    return subprocess.run([kg, *map(str, args)], cwd=cwd, input=input, capture_output=True, text=True, env=env, timeout=120)
