"""Learned parts as data: linear models stored as small JSON files.

A model is its classes, a bias and one weight per class for each feature
name (sparse: features with no weight are left out), plus the settings its
training chose (thresholds) and where it came from (the hash of its training
data, its cross-validated figures). Applying one is a sum and a softmax; it
needs no learning library. ``peacetrack.train`` writes them (``make train``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).parent / "data" / "models"
FORMAT = "peacetrack-linear-model/1"


@dataclass
class LinearModel:
    """A multinomial logistic model: P(class | features)."""

    classes: list[str]
    weights: dict[str, list[float]]  # feature -> one weight per class
    bias: list[float]
    params: dict[str, float] = field(default_factory=dict)  # thresholds chosen in training
    meta: dict[str, Any] = field(default_factory=dict)      # data hash, figures, version

    @property
    def name(self) -> str:
        return f"{self.meta.get('name', 'model')}@{str(self.meta.get('data_hash', '?'))[:12]}"

    def scores(self, features: Iterable[str]) -> dict[str, float]:
        logits = list(self.bias)
        for feature in set(features):
            row = self.weights.get(feature)
            if row is not None:
                for k, w in enumerate(row):
                    logits[k] += w
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "classes": self.classes, "params": self.params,
                "meta": self.meta, "bias": [round(b, 4) for b in self.bias],
                "weights": {f: [round(w, 3) for w in row]
                            for f, row in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(classes=list(data["classes"]), weights=dict(data["weights"]),
                   bias=list(data["bias"]), params=dict(data.get("params", {})),
                   meta=dict(data.get("meta", {})))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")) + "\n",
                        encoding="utf-8")


@cache
def load_model_file(path: str) -> LinearModel | None:
    """The model in ``path`` (a file, or a name in the shipped models folder)."""
    file = Path(path)
    if not file.is_file():
        file = MODEL_DIR / f"{path}.json"
    if not file.is_file():
        return None
    return LinearModel.from_json(json.loads(file.read_text(encoding="utf-8")))


MODEL_NAMES = ("events", "mentions")


def load_models(where: str | None) -> dict[str, LinearModel]:
    """The models a setting names: 'default' (shipped), a folder, or 'none'."""
    if where in (None, "", "none"):
        return {}
    folder = MODEL_DIR if where == "default" else Path(where)
    found = {name: load_model_file(str(folder / f"{name}.json")) for name in MODEL_NAMES}
    return {name: model for name, model in found.items() if model is not None}
