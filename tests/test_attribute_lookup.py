"""The attribute look-up gives exactly the annotation of the model's own ruler."""

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG

from peacetrack.attribute_lookup import AttributeLookup, Unsupported, use_lookup
from peacetrack.settings import Settings

from .conftest import DEVCORPUS, SEEDS

ATTRIBUTES = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]


@pytest.fixture(scope="module")
def models():
    name = Settings().model
    stock, fast = spacy.load(name), spacy.load(name)
    assert use_lookup(fast) == ["attribute_ruler", "lemmatizer"]
    return stock, fast


def _reports() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    for path in sorted(DEVCORPUS.glob("*")):
        if path.suffix in (".txt", ".html", ".md"):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def test_same_annotation_as_the_models_ruler_on_every_seed_and_dev_report(models):
    stock, fast = models
    assert "attribute_ruler" not in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    texts = _reports()
    assert len(texts) >= 25
    for text, want, got in zip(texts, stock.pipe(texts), fast.pipe(texts), strict=True):
        differing = [(w.text, w.pos_, str(w.morph), w.lemma_, g.pos_, str(g.morph), g.lemma_)
                     for w, g in zip(want, got, strict=True)
                     if (w.pos, w.morph.key, w.lemma, w.tag, w.dep) != (g.pos, g.morph.key, g.lemma, g.tag, g.dep)]
        assert not differing, (text[:60], differing[:5])
        assert (want.to_array(ATTRIBUTES) == got.to_array(ATTRIBUTES)).all()


def test_rules_of_two_tokens_and_later_rules_winning(models):
    stock, fast = models
    text = "We're gonna sit down, y'all, and there is nothing they ain't got. Let's go."
    want, got = stock(text), fast(text)
    assert [(t.lemma_, t.pos_) for t in got] == [(t.lemma_, t.pos_) for t in want]
    assert [t.lemma_ for t in got][2:4] == ["go", "to"]  # "gon na": a rule of two tokens


def test_a_rule_it_cannot_read_keeps_the_models_ruler():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "talks", "OP": "+"}]], {"LEMMA": "talk"})
    with pytest.raises(Unsupported):
        AttributeLookup(ruler)
    assert use_lookup(nlp) == []
    assert "attribute_ruler" in nlp.pipe_names
