"""Profiles are checked before use (issue 17): wrong types name their key and
line, unknown keys are warned of, aliases cannot blow a profile up."""

from __future__ import annotations

import pytest

from peacetrack.errors import ProfileError
from peacetrack.profile import load_profile

BILLION_LAUGHS = """\
name: lol
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
entities: [{id: lol, aliases: *h}]
"""

GOOD = """\
name: mini
countries: [ARM, AZE]
entities:
  - id: ruben-rubinyan
    name: Ruben Rubinyan
    kind: person
    offices:
      - {code: ARM, sector: LEG, role: deputy speaker of parliament, from: 2019-01-14}
issues:
  - {id: peace-treaty, name: Peace treaty, aliases: [peace treaty]}
"""


def load(tmp_path, text: str, name: str = "p.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_profile(str(path))


def test_a_good_profile_loads_without_warnings(tmp_path):
    profile = load(tmp_path, GOOD)
    assert profile.name == "mini" and "ruben-rubinyan" in profile.entities
    assert profile.entities["ruben-rubinyan"].offices[0].start == "2019-01-14"
    assert profile.warnings == []


def test_the_shipped_profile_has_no_warnings():
    assert load_profile("south-caucasus").warnings == []


@pytest.mark.parametrize("text, expected", [
    ("name: x\nentities: 12\n", ":2: entities: expected a list, got '12'"),
    ("name: x\nentities:\n  - id: a\n    offices: {code: ARM}\n", ":4: entities[0].offices: expected a list"),
    ("name: x\nentities:\n  - name: No id\n", ":3: entities[0]: an entity needs 'id'"),
    ("name: x\nentities:\n  - id: a\n    kind: persn\n", ":4: entities[0].kind: 'persn' is not one of"),
    ("name: x\nplaces:\n  - {name: Nowhere, lat: 123.0, lon: 4}\n", ":3: places[0].lat: 123.0 is outside -90..90"),
    ("name: x\nentities:\n  - id: a\n    offices:\n      - {code: ARM, from: last year}\n",
     ":5: entities[0].offices[0].from: expected an ISO date"),
    ("name: x\nissues:\n  - id: 12\n", ":3: issues[0].id: expected text, got '12'"),
    ("name: [x\n", "malformed YAML"),
    ("name: x\n\tentities: []\n", "malformed YAML"),
    ("", "the profile is empty"),
    ("# only a comment\n", "the profile is empty"),
    ("- a\n- b\n", "expected a profile (a mapping of keys to values)"),
    (BILLION_LAUGHS, "YAML aliases expand the profile past"),
    ("name: x\nplaces: &p [{name: A, aliases: *p}]\n", "a YAML alias refers to the value that holds it"),
    ("name: x\nentities: " + "[" * 50 + "]" * 50 + "\n", ":2: entities[0]: expected an entity"),
    ("name: x\njunk: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deep"),
])
def test_a_wrong_profile_is_refused_naming_the_key_and_line(tmp_path, text, expected):
    with pytest.raises(ProfileError) as caught:
        load(tmp_path, text)
    assert expected in str(caught.value), str(caught.value)
    assert str(tmp_path / "p.yaml") in str(caught.value)


def test_every_wrong_key_is_named_at_once(tmp_path):
    with pytest.raises(ProfileError) as caught:
        load(tmp_path, "name: x\nentities:\n  - id: a\n    aliases: 3\n  - id: b\n    offices: no\n")
    assert ":4: entities[0].aliases" in str(caught.value)
    assert ":6: entities[1].offices" in str(caught.value)


def test_unknown_keys_and_ids_are_warned_of_with_their_line(tmp_path):
    profile = load(tmp_path, GOOD + "actors: 12\ntracks:\n  - id: t\n    mediatrs: [x]\n"
                   "    mediators: [no-such-entity]\n")
    warnings = "\n".join(profile.warnings)
    assert ":11: the profile: unknown key 'actors'" in warnings
    assert ":14: tracks[0]: unknown key 'mediatrs'" in warnings and "did you mean 'mediators'" in warnings
    assert "mediator 'no-such-entity' is no entity" in warnings


def test_an_empty_key_is_as_if_absent(tmp_path):
    profile = load(tmp_path, "name: x\nentities:\n  - id: a\n    aliases:\nissues:\n")
    assert profile.entities["a"].aliases == []
    assert any("defines no" not in w for w in profile.warnings) or profile.warnings == []


def test_a_missing_profile_names_the_shipped_ones():
    with pytest.raises(ProfileError) as caught:
        load_profile("no-such-process")
    assert "south-caucasus" in str(caught.value)
