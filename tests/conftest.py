"""Shared fixtures: the real seed reports, the real model, a real DuckDB."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# One analysis process in tests (the default is every core): the tests check what
# an ingest finds, and a pool of workers per small ingest would only add start-up.
# test_pipeline checks the default and runs n_process 1 and 2 explicitly.
os.environ.setdefault("PEACETRACK_N_PROCESS", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEVCORPUS = SHARED / "devcorpus"
DEMO = ROOT / "demo" / "corpus"


def seed(prefix: str) -> Path:
    """A seed report by its number ('004')."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def settings():
    from peacetrack.settings import Settings

    return Settings(n_process=1)


@pytest.fixture(scope="session")
def analyzer(settings):
    """The rules alone, one record per mention (no learned model, no merging):
    what the rule tests check."""
    from peacetrack.analysis import Analyzer

    return Analyzer(settings.updated(models="none", merge_mentions=False))


@pytest.fixture(scope="session")
def coder(settings):
    """The engine as shipped: the rules and the learned models."""
    from peacetrack.analysis import Analyzer

    return Analyzer(settings)


@pytest.fixture(scope="session")
def nlp(analyzer):
    return analyzer.nlp


@pytest.fixture
def db_settings(tmp_path, settings):
    return settings.updated(db=str(tmp_path / "store.duckdb"))


@pytest.fixture(scope="session")
def real_store(tmp_path_factory, settings) -> Path:
    """The seeds and the dev corpus (real reports, every shipped profile), as
    ``peacetrack ingest`` stores them: what the views are judged on (issue 19)."""
    from peacetrack.pipeline import ingest

    db = tmp_path_factory.mktemp("real") / "seeds-dev.duckdb"
    ingest([str(SEEDS), str(DEVCORPUS)], settings=settings.updated(db=str(db)))
    return db
