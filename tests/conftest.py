"""Shared fixtures: the real seed reports, the real model, a real DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

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

    return Settings()


@pytest.fixture(scope="session")
def analyzer(settings):
    from peacetrack.analysis import Analyzer

    return Analyzer(settings)


@pytest.fixture(scope="session")
def nlp(analyzer):
    return analyzer.nlp


@pytest.fixture
def db_settings(tmp_path, settings):
    return settings.updated(db=str(tmp_path / "store.duckdb"))
