"""stub"""
from __future__ import annotations
from functools import cache


@cache
def issue_cues(profile, vocab):
    return None


def find_stances(doc, actors, events, quotes, profile, *, doc_id, published, cues=None):
    return []
