"""Rules as data (issue 16): every rule file compiles, every rule's example
sentence makes it fire, the patterns are spaCy DependencyMatcher patterns,
and a rule file with a mistake is refused with its file, line and rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.matcher import DependencyMatcher

from peacetrack.events import EventCoder
from peacetrack.rule_report import check_examples, families, list_rules, rule_lines, score_rules
from peacetrack.rules import (
    Compiler,
    RuleBook,
    RuleError,
    read_rules,
    to_dependency_matcher,
    tree_of,
)

CODER = EventCoder()  # the lexicons and rule files only: no model is loaded
RULES = [(family, rule.id) for family, book in families(CODER).items() for rule in book
         if not rule.off]


def test_every_rule_has_an_id_what_it_does_why_and_an_example():
    listed = list_rules(CODER)
    assert len(listed) >= 80
    for rule in listed:
        assert rule["id"] and rule["does"] and rule["why"], rule
    # the sense checks the coder makes in code are listed too, to be named and scored
    assert {r["id"] for r in listed if r["code"]} >= {"content-of-another", "headline-restates"}


@pytest.fixture(scope="module")
def examples(analyzer):
    return {(c.family, c.rule, c.text): c for c in check_examples(analyzer)}


@pytest.mark.parametrize("family, rule_id", RULES)
def test_the_rule_fires_on_its_example(examples, family, rule_id):
    mine = [c for (f, r, _), c in examples.items() if (f, r) == (family, rule_id)]
    assert mine, f"{family}/{rule_id} has no example that was run"
    for check in mine:
        assert check.ok, f"{family}/{rule_id}: {check.text!r} at {check.at!r}: {check.found}"


def _plain(book: RuleBook, pattern) -> bool:
    """A pattern of spaCy's operators and attributes only (no walk, condition or fact)."""
    return all(node.relation in ("", ">", "<", ">>", "<<", ".", ";", ".*", ";*", ">--", ">++")
               and not any(t.condition or t.fact for t in node.tests) for node in pattern.nodes)


def test_the_patterns_are_dependency_matcher_patterns_and_match_as_spacy_does(nlp):
    """Each plain pattern goes into spaCy's own DependencyMatcher (which checks
    its form) and, on the rule's example, spaCy finds a match where the rule
    engine does (rules.py matches anchored at one word; spaCy over the doc)."""
    words = CODER.lexicon.words()
    compared = 0
    for family, book in families(CODER).items():
        for rule in book:
            for example in rule.examples:
                doc = nlp(example["text"])
                tree = tree_of(doc)
                for n, alternative in enumerate(rule.alternatives):
                    if alternative.pattern is None or not _plain(book, alternative.pattern):
                        continue
                    matcher = DependencyMatcher(nlp.vocab)
                    matcher.add(f"{rule.id}/{n}", [to_dependency_matcher(alternative.pattern, words)])
                    spacy_anchors = {nodes[0] for _, nodes in matcher(doc)}
                    ours = {i for i in range(len(doc))
                            if book.match(alternative.pattern, tree, i, {})
                            and doc[i].lemma_ == doc[i].lemma_.lower()}  # LEMMA: lower case here
                    assert ours <= spacy_anchors, (family, rule.id, n, example["text"])
                    compared += bool(ours)
    assert compared >= 30


def _compile(tmp_path: Path, text: str) -> list:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    compiler = Compiler({"light_verbs": ["hold"]}, walks={"subject"}, conditions={"passive"})
    return compiler.rules(path, read_rules(path))


@pytest.mark.parametrize("text, message", [
    ("- id: x\n  does: veto\n  why: w\n", "needs an example"),
    ("- id: x\n  does: nothing\n  example: {text: a, at: a}\n", "'does' must be one of"),
    ("- id: x\n  does: veto\n  example: {text: a, at: a}\n  pattern:\n    - t: {LEMA: hold}\n",
     "unknown token attribute 'LEMA'"),
    ("- id: x\n  does: veto\n  example: {text: a, at: a}\n  pattern:\n    - t: {}\n"
     "    - t ~ o: {DEP: dobj}\n", "neither a spaCy relation operator nor a walk"),
    ("- id: x\n  does: veto\n  example: {text: a, at: a}\n  pattern:\n    - t: {}\n"
     "    - u > o: {DEP: dobj}\n", "no earlier node"),
    ("- id: x\n  does: veto\n  example: {text: a, at: a}\n  pattern:\n"
     "    - t: {LEMMA: '@light_verb'}\n", "no word list named 'light_verb'"),
    ("- id: x\n  does: veto\n  example: {text: a, at: a}\n  pattern:\n"
     "    - t: {LOWER: [on, at]}\n", "write them in quotes"),
    ("- id: x\n  does: veto\n  off: true\n  example: {text: a, at: a}\n", "write them in quotes"),
    ("- id: x\n  does: veto\n  example: {text: a, at: a}\n  unless: [pasive]\n",
     "no condition named 'pasive'"),
    ("- id: x\n  does: veto\n  example: {text: a, at: a}\n- id: x\n  does: veto\n"
     "  example: {text: a, at: a}\n", "a second rule with this id"),
    ("- id: x\n  does: veto\n  example: {text: a, at: a}\n  pattern:\n    - t: {\n",
     "malformed YAML"),
])
def test_a_mistaken_rule_is_refused_naming_its_file_line_and_rule(tmp_path, text, message):
    with pytest.raises(RuleError) as error:
        _compile(tmp_path, text)
    assert message in str(error.value)
    assert "rules.yaml" in str(error.value)


def test_a_rule_switched_off_never_fires(tmp_path, nlp):
    rules = _compile(tmp_path, "- id: held\n  does: veto\n  disabled: true\n"
                               "  example: {text: They held talks., at: held}\n"
                               "  pattern: [t: {LEMMA: '@light_verbs'}]\n"
                               "- id: held-on\n  does: veto\n"
                               "  example: {text: They held talks., at: held}\n"
                               "  pattern: [t: {LEMMA: '@light_verbs'}]\n")
    book = RuleBook(rules)
    tree = tree_of(nlp("They held talks."))
    assert book.fires(rules[0], tree, 1, {}) is None
    assert book.fires(rules[1], tree, 1, {}) == {"t": 1}


def test_every_rule_the_coder_names_in_decided_by_is_in_a_rule_file(analyzer):
    named = {(r["does"], r["id"]) for r in list_rules(CODER)}
    text = ("Russia offered to host the talks. The ceasefire remains fragile. "
            "Armenia did not sign the declaration.")
    analyzer.soft_vetoes = True
    try:
        from peacetrack import analyse
        records = analyse(text, published="2023-07-16", settings=analyzer.settings)
    finally:
        analyzer.soft_vetoes = False
    prefixes = {"veto": "veto:", "status": "status:", "rewrite": "rewrite:",
                "governor": "governor:", "role": "role:"}
    for record in (r for r in records if r["kind"] == "event"):
        for step in record["decided_by"]:
            for does, prefix in prefixes.items():
                if step["by"].startswith(prefix) and not step["by"].startswith("role:outcome"):
                    assert (does, step["by"][len(prefix):]) in named, step


def test_the_rules_report_scores_each_rule_on_the_training_gold(analyzer):
    from .conftest import ROOT, SHARED

    scores = score_rules(analyzer, [ROOT / "tests" / "gold" / "seed-reports"],
                         shared=SHARED, root=ROOT)
    by_rule = {(s.does, s.rule): s for s in scores}
    names = by_rule[("veto", "names-thing")]
    assert names.fired > 0 and 0 <= names.right <= names.fired
    assert by_rule[("trigger", "CONSULT/meet/VERB")].right > 0
    lines = rule_lines(scores)
    assert lines[0].split() == ["family", "rule", "does", "fired", "right", "prec"]
    # the steps quotes and stances name in their decided_by are scored the same way:
    # a quote's attribution is right where the speaker is the gold one
    after = by_rule[("step", "speaker:attribution:after")]
    assert after.fired > 0 and 0 < after.right <= after.fired
    assert any(s.family == "stances" and s.fired for s in scores)
    assert any(line.startswith("quotes") for line in lines)
