import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.records import DEFAULT_FACTS, Loaded
from kg.store import open_store
from kg.validate import validate

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "facts"
ANALYTICS = Path(__file__).parent / "fixtures" / "analytics"  # FIXTURES extended for paths, ranks and conflicts


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


@pytest.fixture(scope="session")
def project_records() -> list[Loaded]:
    """The project's facts, validated once."""
    return validate(DEFAULT_FACTS)


@pytest.fixture(scope="session")
def project_store(tmp_path_factory, project_records) -> Path:
    """A store of the project's facts, built once for the tests that read them (pass it as --store)."""
    root = tmp_path_factory.mktemp("project-store")
    open_store(DEFAULT_FACTS, root, records=project_records)
    return root


@pytest.fixture(scope="session")
def analytics_store(tmp_path_factory) -> Path:
    """A store of the ANALYTICS world, built once (pass it as --store with --facts ANALYTICS)."""
    root = tmp_path_factory.mktemp("analytics-store")
    open_store(ANALYTICS, root)
    return root
