"""The Ray engine on a real local Ray cluster: the same records as the local engine.

Ray is an optional extra; the test requirements install it. A local cluster
(``ray.init()``; Ray 2.60 has no local mode) starts in a few seconds and
takes about 1.5 GB.
"""

from __future__ import annotations

import sys

import pytest

from peacetrack.errors import MissingExtra
from peacetrack.executors import make_executor
from peacetrack.executors.local import LocalExecutor
from peacetrack.ingest import read_inputs
from peacetrack.pipeline import batched, ingest, prepare
from peacetrack.store import Store, open_store

from .conftest import DEMO, SEEDS

ray = pytest.importorskip("ray", reason="the [ray] extra is not installed: "
                                        "pip install 'peacetrack[ray]' (requirements/test.txt has it)")


@pytest.fixture(scope="module")
def cluster(monkeypatch_module):
    monkeypatch_module.setenv("RAY_AUTH_MODE", "disabled")
    monkeypatch_module.delenv("RAY_ADDRESS", raising=False)  # a private cluster, never a shared one
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def ray_settings(cluster):
    from peacetrack.settings import Settings

    return Settings(engine="ray", n_process=1)


def test_the_ray_engine_stores_the_records_of_the_local_engine(tmp_path, cluster, ray_settings):
    inputs = [str(SEEDS), str(DEMO)]
    local = ray_settings.updated(engine="local", db=str(tmp_path / "local.duckdb"))
    parts = ray_settings.updated(db=str(tmp_path / "ray-parts") + "/")
    expected = ingest(inputs, settings=local)
    got = ingest(inputs, settings=parts)
    assert got.stored == expected.stored > 20 and got.events == expected.events > 100
    with Store(local.db, read_only=True) as a, open_store(parts.db, read_only=True) as b:
        # incidents (one happening across reports) are fused in DuckDB stores only
        assert list(b.records()) == \
            [{**r, "incident": None} if r["kind"] == "event" else r for r in a.records()]


def test_ray_keeps_the_order_and_shape_of_batches_across_windows(cluster, ray_settings):
    documents = [prepare(raw) for raw in read_inputs([str(SEEDS)], max_bytes=5_000_000)]
    executor = make_executor(ray_settings.updated(batch_size=2))
    executor.window = 3  # several datasets, each cut into nlp batches of 2
    batches = list(batched(documents, 2))
    got = list(executor.map(iter(batches)))
    assert [[a.document.id for a in b] for b in got] == [[d.id for d in b] for b in batches]
    expected = list(LocalExecutor(ray_settings.updated(engine="local")).map(iter(batches)))
    assert [[a.records() for a in b] for b in got] == [[a.records() for a in b] for b in expected]


def test_a_missing_ray_extra_says_how_to_install_it(monkeypatch, ray_settings):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if ray were not installed
    with pytest.raises(MissingExtra, match=r"pip install 'peacetrack\[ray\]'"):
        make_executor(ray_settings)
