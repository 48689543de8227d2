"""One source of truth (issue 16): every key of every lexicon and language
file is read by the engine, and the word lists live in data, not in code."""

from __future__ import annotations

import ast
from dataclasses import fields

import pytest
import yaml

from peacetrack.lexicons import data_path, load_language_data, load_lexicon, unread_keys

from .conftest import SEEDS

# read by places.py with its own loader (its keys are PlaceWords' fields and two tables)
OWN_LOADER = {"places"}


@pytest.fixture(scope="module")
def engine_ran(analyzer, coder):
    """Every stage built and run on real reports, so what is read on the way is read."""
    from peacetrack.ingest import RawReport
    from peacetrack.pipeline import prepare

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for engine in (analyzer, coder):
        documents = [prepare(RawReport(source=f"seed {n}", text=text, published="2023-07-16"))
                     for n, text in enumerate(texts)]
        for _ in engine.analyse(documents):
            pass
    return True


LEXICONS = sorted(p.stem for p in data_path("lexicons").glob("*.yaml") if p.stem not in OWN_LOADER)
LANGUAGE = sorted(p.stem for p in data_path("languages", "en").glob("*.yaml"))


@pytest.mark.parametrize("name", LEXICONS)
def test_every_key_of_a_lexicon_is_read(engine_ran, name):
    unread = unread_keys(load_lexicon(name))
    assert not unread, f"lexicons/{name}.yaml: keys the engine never reads: {unread}"


@pytest.mark.parametrize("name", LANGUAGE)
def test_every_key_of_the_language_data_is_read(engine_ran, name):
    unread = unread_keys(load_language_data("en", name))
    assert not unread, f"languages/en/{name}.yaml: keys the engine never reads: {unread}"


def test_every_key_of_the_place_words_is_read():
    from peacetrack.places import PlaceWords

    data = yaml.safe_load(data_path("lexicons", "places.yaml").read_text(encoding="utf-8"))
    read = {f.name for f in fields(PlaceWords)} | {"country_aliases", "landmarks", "border_nouns",
                                                   "regions", "crossings", "country_codes",
                                                   "place_nouns_after_names"}
    assert set(data) <= read, set(data) - read


def test_no_word_list_reads_as_true_or_false():
    """YAML reads a bare on, off, yes or no as true or false: a word list that
    holds one has lost the word."""
    def booleans(node, path):
        if isinstance(node, dict):
            return [b for k, v in node.items() for b in booleans(v, f"{path}.{k}")]
        if isinstance(node, list):
            return [path for v in node if isinstance(v, bool)] + \
                [b for v in node for b in booleans(v, path)]
        return []

    for path in sorted(data_path().rglob("*.yaml")):
        found = booleans(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
        assert not found, f"{path}: a list holds true/false (quote 'on', 'no' ...): {found}"


def _module_word_sets(module: str) -> list[str]:
    """Module-level sets, tuples or lists of lower-case words in a stage's code."""
    tree = ast.parse((data_path().parent / f"{module}.py").read_text(encoding="utf-8"))
    out = []
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "frozenset" and value.args:
            value = value.args[0]
        if isinstance(value, (ast.Set, ast.Tuple, ast.List)):
            words = [e.value for e in value.elts if isinstance(e, ast.Constant)
                     and isinstance(e.value, str) and e.value.isalpha() and e.value.islower()]
            if len(words) >= 3:
                out.append(ast.unparse(node)[:60])
    return out


# Lists of the data's own format, not English: the rule files' families, the
# rule format's keys.
FORMAT_NAMES = ("EVENT_RULES", "DOES", "STRUCTURE")


@pytest.mark.parametrize("module", ["events", "roles", "walks", "rules"])
def test_the_word_lists_of_the_event_coder_are_data(module):
    found = [s for s in _module_word_sets(module) if not s.startswith(FORMAT_NAMES)]
    assert not found, found
