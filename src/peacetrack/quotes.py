"""Who said what (SPEC §2 quote): direct and indirect quotes with their speaker.

Finding the quoted text is separate from attributing it. Direct quotes come
from a scan of the quotation marks (any style, unbalanced marks of scraped
pages, quotes over several paragraphs, quotes inside quotes); indirect ones
from reporting verbs with a clause ("Aliyev said that ..."), "according to
X" and "as noted in X". The speaker is the subject of the attributing verb,
resolved through the actor mentions (titles, surnames, pronouns); a quote
with no attribution of its own continues the speech just before it.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import Any

from spacy.attrs import IDX
from spacy.tokens import Doc, Span, Token

from . import dates
from .actors import COUNTRY_WORDS, PERSON_PRONOUNS, DocActors, Mention
from .lexicons import load_lexicon
from .nlp import sentence_of, sentences_before, text_of, words_of
from .profile import NON_STATE_SECTORS, Profile, slugify
from .records import Actor, DateValue, Quote
from .walks import grammar

# Opening mark -> the marks that may close it. Scraped pages mix curly and
# straight marks, and some use an opening mark to close.
CLOSERS = {"“": "”\"“", "„": "“”\"", "«": "»", "\"": "\"”", "‘": "’'", "'": "'’", "‹": "›"}
SINGLE = {"‘", "'", "’"}
OPENING_MARKS = " \n\"“«„‘'"
SENTENCE_END = re.compile(r"[.!?][\"”’»]?(?:\s|$)")
# the parser's labels and the grammar words (data/languages/en: labels.yaml, words.yaml)
L = grammar().labels
W = grammar().words


@dataclass(frozen=True)
class SpeechLexicon:
    reporting: frozenset[str]
    stating: frozenset[str]
    attitude: frozenset[str]
    clausal: frozenset[str]
    framing: frozenset[str]
    nouns: frozenset[str]
    according: tuple[tuple[str, ...], ...]
    clear: frozenset[str]
    clear_verbs: frozenset[str]
    attitude_adjectives: tuple[tuple[str, str], ...]  # (adjective, verb): hashable
    as_comment_verbs: frozenset[str]
    min_words: int
    min_indirect_words: int
    max_attribution_words: int
    documents: frozenset[str]
    issuing: frozenset[str]
    document_lookback: int
    heading_words: int
    media: frozenset[str] = frozenset()

    @cached_property
    def attitude_of(self) -> dict[str, str]:
        """The attitude verb each attitude adjective tells ("convinced": convince)."""
        return dict(self.attitude_adjectives)

    @property
    def indirect(self) -> frozenset[str]:
        return self.reporting | self.attitude | self.clausal

    @property
    def direct(self) -> frozenset[str]:
        return self.reporting | self.attitude | self.framing

    @property
    def openers(self) -> frozenset[str]:
        """First words of the 'according to' phrases."""
        return frozenset(words[0] for words in self.according)


@cache
def speech_lexicon() -> SpeechLexicon:
    data = load_lexicon("speech")
    return SpeechLexicon(
        reporting=frozenset(data["reporting"]), stating=frozenset(data["stating"]),
        attitude=frozenset(data["attitude"]), clausal=frozenset(data["clausal"]),
        framing=frozenset(data["framing"]), nouns=frozenset(data["nouns"]),
        according=tuple(tuple(words) for words in data["according"]),
        clear=frozenset(data["clear"]), clear_verbs=frozenset(data["clear_verbs"]),
        attitude_adjectives=tuple(sorted(data["attitude_adjectives"].items())),
        as_comment_verbs=frozenset(data["as_comment_verbs"]), min_words=int(data["min_words"]),
        min_indirect_words=int(data["min_indirect_words"]),
        max_attribution_words=int(data["max_attribution_words"]),
        documents=frozenset(data["documents"]), issuing=frozenset(data["issuing"]),
        document_lookback=int(data["document_lookback"]),
        heading_words=int(data["heading_words"]),
        media=frozenset(w.lower() for w in data.get("media", [])))


@dataclass
class Found:
    """A quote before its record is built: char span, speakers, cue."""

    start: int
    end: int
    direct: bool
    speakers: list[Mention]
    cue: str | None
    anchor: int  # a char offset of the attribution (the sentence it is dated by)
    by: str = "unattributed"  # how the speaker was found (the record's decided_by)


# -- quotation marks ---------------------------------------------------------

def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside quotation marks, marks excluded.

    A quote still open at a paragraph's end continues when the next
    paragraph opens with a mark (the convention for long quotes), else it
    ends there (an unbalanced mark of a scraped page)."""
    spans: list[tuple[int, int]] = []
    opener: str | None = None
    start = 0
    reopening = False  # the mark that reopens a quote in its next paragraph
    for i, ch in enumerate(text):
        if ch == "\n" and opener is not None:
            reopening = _continues(text, i)
            if not reopening:
                spans.append((start, i))
                opener = None
        elif reopening and not ch.isspace():
            reopening = False  # skip the mark itself
        elif opener is None:
            if ch in CLOSERS and _opens(text, i):
                opener, start = ch, i + 1
        elif ch in CLOSERS[opener] and _closes(text, i, opener):
            spans.append((start, i))
            opener = None
    if opener is not None:
        spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in SINGLE:  # an apostrophe is no quote: Russia’s, '90s
        return not before.isalnum() and after.isalpha()
    if text[i] == "\"":
        return not before.isalnum() and not after.isspace()
    return not after.isspace() or text[i] in "«„"


def _closes(text: str, i: int, opener: str) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    if opener in SINGLE or text[i] in SINGLE:
        return not after.isalpha()  # Russia’s is an apostrophe inside the quote
    if text[i] == opener and opener != "\"":
        return not after.isalnum()  # “ closing a quote on a scraped page
    return True


def _continues(text: str, newline: int) -> bool:
    rest = text[newline:].lstrip()
    return bool(rest) and rest[0] in "“«„\"‘"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1  # the comma before a closing mark belongs to the sentence
    return start, end


def word_count(text: str) -> int:
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


# -- speakers ------------------------------------------------------------------

class Attributor:
    """Finds who a verb, noun or 'according to' attributes words to."""

    def __init__(self, doc: Doc, actors: DocActors, lexicon: SpeechLexicon) -> None:
        self.doc = doc
        self.actors = actors
        self.lexicon = lexicon
        self._documents: list[tuple[int, list[Mention]]] | None = None
        self.quoted: list[tuple[int, int]] = []  # the direct quotes' char spans, in order

    def is_speech(self, token: Token, lemmas: frozenset[str]) -> bool:
        lemma, lexicon = token.lemma_.lower(), self.lexicon
        attitude = lexicon.attitude_of.get(lemma)  # "is convinced": convince
        if lemma not in lemmas and lemma not in lexicon.clear_verbs and attitude is None:
            return False  # the cheap test first: most words report nothing
        if token.pos_ not in L.predicate and attitude is None:
            return False
        if _negated(token):
            return False  # "no official has ever explained ..." reports no words
        if lemma in lexicon.clear_verbs:  # "made it clear that ..."
            return any(c.lower_ in lexicon.clear for c in token.children)
        return lemma in lemmas or attitude in lemmas

    def subject(self, verb: Token, depth: int = 0) -> list[Mention]:
        """The speakers of a verb: its subject (with conjuncts), else the
        subject of the clause it continues, else its agent ('noted by X')."""
        subjects = sorted((c for c in verb.children
                           if c.dep_ in L.active_or_passive_subject),
                          key=lambda c: abs(c.i - verb.i))
        for child in subjects:
            found = self.speaker_pronoun(child) or self.document_voice(child) or \
                self.group(child)
            if found:
                return found
        if subjects:
            return []
        if depth < 3 and verb.dep_ in L.speech_continued_through and verb.head.i != verb.i:
            found = self.subject(verb.head, depth + 1)
            if found:
                return found
        for child in verb.children:
            # 'as noted in the Kremlin', 'said by X'
            if child.dep_ in L.preposition_or_agent and \
                    child.lower_ in W.speaker_preps \
                    and verb.tag_ in L.past_participle:
                for grand in child.children:
                    if grand.dep_ in L.preposition_object:
                        return self.group(grand)
        adjacent = self.actors.before(verb.i)[:1]  # a misparsed 'X’s ministry accused'
        return [m for m in adjacent if m.end == verb.i and depth == 0]

    def group(self, head: Token) -> list[Mention]:
        """The mentions a noun phrase names: itself and its conjuncts."""
        out: list[Mention] = []
        for token in [head, *_conjuncts(head)]:
            mention = self.mention(token)
            if mention is not None and mention not in out:
                out.append(mention)
        return out

    def mention(self, head: Token) -> Mention | None:
        """The actor a noun phrase names: the mention on its head, else one on
        its modifiers ('Baku’s foreign ministry', 'the Azerbaijani foreign
        ministry'), else the country that 'the country’s' points back to. A
        name after a title is the person's ('Minister of Economy Gevorg
        Papoyan'); a bare surname, the person named before with it."""
        found = self.actors.at(head)
        if found is None or found.kind == "title" or (found.kind == "ner" and not found.actor.id):
            named = self.titled_name(head) or self.surname(head, found)
            if named is not None:
                return named
        if found is not None:
            return found
        for child in head.children:
            if child.dep_ in L.owner_modifiers and child.i < head.i:
                inner = self.actors.at(child) or next(
                    (self.actors.at(t) for t in child.subtree if self.actors.at(t)), None)
                if inner is not None:
                    return inner
        if any(t.lower_ in COUNTRY_WORDS and t.dep_ in L.possessive
               for t in head.children):
            return next((m for m in self.actors.before(head.i)
                         if m.kind in ("country", "metonym")), None)
        return None

    def titled_name(self, head: Token) -> Mention | None:
        """The person a title introduces by name in the same noun phrase
        ('Armenian Minister of Economy Gevorg Papoyan', 'the Saudi ambassador
        to Yemen Mohammed Al-Jaber'): the name is the person, the title gives
        the state, sector and role. spaCy often tags such a name as no one."""
        for appos in (c for c in head.children if c.dep_ in L.apposition):
            person = self.actors.at(appos)  # 'the group's chair, Foreign Minister X,'
            if person is not None and person.is_person and person.actor.id:
                return person
        phrase = self.doc[head.left_edge.i:head.right_edge.i + 1]
        title = next((m for m in self.actors.in_span(phrase.start, phrase.end)
                      if m.kind == "title"), None)
        if title is None:
            return None
        run = _name_run(self.doc, title.end, phrase.end, self.actors)
        if run is None:
            return None
        start, end = run
        if not _title_complement(self.doc[title.end:start]):
            return None
        person = next((m for m in self.actors.in_span(start, end) if m.is_person
                       and m.actor.id), None)
        actor = title.actor
        if person is not None and person.entity is not None:
            return person
        name = self.doc[start:end].text
        span = self.doc[title.start:end]
        named = Actor(text=span.text, id=person.actor.id if person else slugify(name), name=name,
                      code=actor.code,
                      sector=actor.sector, role=actor.role, span=(span.start_char, span.end_char))
        return Mention(title.start, end, "ner", named, None)

    def surname(self, head: Token, found: Mention | None) -> Mention | None:
        """'said Papoyan': the person named in full before whose name ends
        (or, for names written family name first, begins) with it."""
        if head.pos_ not in L.proper_noun or not head.text[:1].isupper() or \
                (found is not None and found.end - found.start > 1):
            return None
        for earlier in self.actors.before(head.i):
            if earlier.is_person and earlier.actor.id and earlier.actor.name and \
                    len(earlier.actor.name.split()) > 1 and \
                    head.text in (earlier.actor.name.split()[-1], earlier.actor.name.split()[0]):
                actor = replace(earlier.actor, text=head.text,
                                span=(head.idx, head.idx + len(head)))
                return Mention(head.i, head.i + 1, "name", actor, earlier.entity, earlier.gender)
        for i in range(max(0, head.i - 2000), head.i):  # a name no mention holds
            token = self.doc[i]
            if token.text == head.text and i > 0 and self.actors.at(token) is None:
                named = self.titled_name(token)
                if named is not None and named.actor.name and \
                        named.actor.name.split()[-1] == head.text:
                    return replace(named, start=head.i, end=head.i + 1, actor=replace(
                        named.actor, text=head.text, span=(head.idx, head.idx + len(head))))
        return None

    def according(self, token: Token) -> list[Mention] | None:
        """'according to X', 'in the words of X', 'citing X': X, else None."""
        for words in self.lexicon.according:
            if token.lower_ != words[0]:
                continue  # most tokens start no phrase: skip the slice
            tokens = self.doc[token.i:token.i + len(words)]
            if len(tokens) == len(words) and [t.lower_ for t in tokens] == list(words):
                objects = [t for t in tokens[-1].children
                           if t.dep_ in L.any_object]
                if not objects and tokens.end < len(self.doc):
                    objects = [self.doc[tokens.end]]
                return self.group(objects[0]) if objects else []
        return None

    def owner(self, noun: Token) -> list[Mention]:
        """'Lavrov’s statements', 'the statement of the ministry'; a document
        speaks for whoever issued it ('read the EU statement')."""
        if noun.lemma_.lower() in self.lexicon.documents:
            return self.named_issuer(noun)  # not 'called the declaration “…”'
        for child in noun.children:
            if child.dep_ in L.possessive:
                return self.group(child)
            if child.dep_ in L.preposition and child.lower_ in W.genitive_preps:
                objects = [g for g in child.children if g.dep_ in L.preposition_object]
                if objects:
                    return self.group(objects[0])
        return []


    def speaker_pronoun(self, token: Token) -> list[Mention]:
        """'he said', 'she added': the last person named before, outside the
        quotes (a name inside a quote is what was said, not who said it) and
        outside headings, a subject first within this sentence and the one
        before; the name read as the attribution reads it ('the ambassador to
        the UN X Y' is X Y)."""
        gender = PERSON_PRONOUNS.get(token.lower_)
        if gender is None or token.lower_ not in W.speaker_pronouns:
            return []
        people = [m for m in self.actors.before(token.i) if self._may_be(m, gender, token)]
        if not people:
            return []
        near = [m for m in people if m.start >= _sentence_back(token, 1)]
        subjects = [m for m in near if any(t.dep_ in L.active_or_passive_subject
                                           for t in self.doc[m.start:m.end])]
        chosen = (subjects or near or people)[0]
        return [self.mention(self.doc[chosen.end - 1]) or chosen]

    def _may_be(self, mention: Mention, gender: str, pronoun: Token) -> bool:
        """Whether a mention may be the person a 'he' or 'she' points back to."""
        if mention.kind == "pronoun" or not (mention.is_person or mention.kind == "title"):
            return False
        if mention.gender not in (None, gender) or (mention.kind == "ner" and not mention.actor.id
                                                    and self.doc[mention.start].ent_type_
                                                    not in L.person_entity):
            return False  # an organisation spaCy found is no 'he'
        at, text = self.doc[mention.start].idx, text_of(self.doc)
        own_line = _line_start(text, at) == _line_start(text, pronoun.idx)
        return not _inside(at, self.quoted) and \
            (own_line or not _in_heading(text, at, self.lexicon.heading_words))

    # -- documents speak for their issuer ('the statement said': the ministry) --

    def document_voice(self, token: Token) -> list[Mention]:
        """Who speaks when a document does: 'the statement said', 'the
        document says', 'it added' (a statement just named). The issuer named
        with the document ('the EU statement', 'a statement by the ministry',
        'Zas said in a statement', 'the government issued a statement'), else
        that of the last document named a few sentences before."""
        word = token.lower_
        pronouns = W.document_pronouns
        if token.lemma_.lower() not in self.lexicon.documents and word not in pronouns:
            return []
        if word not in pronouns:
            own = self.issuer(token)
            if own:
                return own
        earliest = _sentence_back(token, self.lexicon.document_lookback if word not in
                                  pronouns else 1)
        for at, issuers in reversed(self.documents()):
            if at >= token.i or at < earliest:
                continue
            if issuers:
                return issuers
        return []

    def documents(self) -> list[tuple[int, list[Mention]]]:
        """Every document noun of the report with its issuer, in text order."""
        if self._documents is None:
            _, lemmas = words_of(self.doc)
            self._documents = []  # an issuer is a person or body, never another document
            self._documents = [(i, self.issuer(self.doc[i])) for i in range(len(self.doc))
                               if lemmas[i] in self.lexicon.documents
                               and self.doc[i].pos_ in L.noun]
        return self._documents

    def issuer(self, noun: Token) -> list[Mention]:
        """The issuer the document's own phrase or its clause names."""
        found = self.named_issuer(noun)
        if found:
            return found
        head = noun.head
        if noun.dep_ in L.direct_object and head.lemma_.lower() in self.lexicon.issuing:
            return self.subject(head, depth=1)  # 'the ministry issued a statement'
        if noun.dep_ in L.preposition_object and head.lower_ in W.document_preps \
                and head.head.pos_ in L.full_verb and \
                self.is_speech(head.head, self.lexicon.direct):
            return self.subject(head.head, depth=1)  # 'Zas said in a statement'
        return []

    def named_issuer(self, noun: Token) -> list[Mention]:
        """The issuer the document's own phrase names: 'the EU statement',
        'Baku's statement', 'a statement by/of/from X', 'a statement issued by X'."""
        own = self.mention(noun)
        if own is not None:
            return [own]
        for child in noun.children:
            if child.dep_ in L.possessive:
                return self.group(child)
            if child.dep_ in L.preposition and child.lower_ in W.owner_preps:
                objects = [g for g in child.children if g.dep_ in L.preposition_object]
                found = self.group(objects[0]) if objects else []
                if found:
                    return found
            if child.dep_ in L.clause_modifier and child.tag_ in L.past_participle:
                # 'a statement issued by X'
                found = [m for g in child.children if g.dep_ in L.agent
                         for o in g.children if o.dep_ in L.preposition_object
                         for m in self.group(o)]
                if found:
                    return found
        return []


def _name_run(doc: Doc, start: int, end: int, actors: DocActors) -> tuple[int, int] | None:
    """The last run of two to five capitalised proper nouns in [start, end)
    that ends the phrase (or an aside closed by a comma), outside any mention
    of a country or body: a person's name."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < end:
        j = i
        while j < end and _name_word(doc[j], actors):
            j += 1
        if j - i >= 2 and (j == end or doc[j].is_punct):
            runs.append((i, j))
        i = j + 1
    return runs[-1] if runs and runs[-1][1] - runs[-1][0] <= 5 else None


def _title_complement(between: Span) -> bool:
    """Nothing, or a short complement of the title ('of Economy', 'to the
    UN', 'for Foreign Affairs'), lies between a title and the name it gives."""
    return len(between) == 0 or (len(between) <= 4 and
                                 between[0].pos_ in L.adposition)


def _name_word(token: Token, actors: DocActors) -> bool:
    mention = actors.at(token)
    if (mention is not None and not mention.is_person) or \
            token.ent_type_ in L.not_name_entities:
        return False
    return (token.pos_ in L.proper_noun and token.text[:1].isupper()) or \
        (token.text in ("-", "‐") and token.whitespace_ == "")


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    n = bisect.bisect_right(spans, (at, 1 << 62)) - 1
    return n >= 0 and spans[n][0] <= at < spans[n][1]


def _in_heading(text: str, at: int, words: int) -> bool:
    """A short line with no closing punctuation: a headline or a subheading."""
    line = text[_line_start(text, at):_line_end(text, at)].rstrip()
    return bool(line) and word_count(line) <= words and line[-1] not in ".!?:;\"”’'»)…"


def _sentence_back(token: Token, count: int) -> int:
    """The first token of the sentence ``count`` sentences before the token's."""
    before = sentences_before(token, count)
    return before[0].start if before else sentence_of(token).start


def _negated(verb: Token) -> bool:
    """'did not say', 'never said', 'not a single official has explained'."""
    for child in verb.children:
        if child.dep_ in L.negation or child.lower_ in W.negating_adverbs:
            return True
        if child.dep_ in L.active_or_passive_subject and \
                any(t.lower_ in W.negative_quantifiers
                    for t in child.subtree if t.i < child.i):
            return True
    return False


def _conjuncts(token: Token) -> list[Token]:
    return [t for t in token.conjuncts if t.i > token.i]


# -- direct quotes -------------------------------------------------------------

def direct_quotes(doc: Doc, who: Attributor) -> list[Found]:
    """Every quoted passage of two or more words with its attribution."""
    spans = [(s, e) for s, e in quote_spans(text_of(doc))
             if word_count(text_of(doc)[s:e]) >= who.lexicon.min_words]  # not scare quotes
    who.quoted = spans
    found: list[Found] = []
    for n, (start, end) in enumerate(spans):
        previous_end = spans[n - 1][1] if n else -1
        next_start = spans[n + 1][0] if n + 1 < len(spans) else len(text_of(doc))
        speakers, cue, at, by = attribute_direct(doc, who, start, end, previous_end, next_start)
        found.append(Found(start, end, True, speakers, cue, at, by))
    return found


def attribute_direct(doc: Doc, who: Attributor, start: int, end: int, previous_end: int,
                     next_start: int) -> tuple[list[Mention], str | None, int, str]:
    """The attribution in the quote's own sentences, nearest the marks first:
    '…,” Lavrov said', 'Lavrov said: “…”', 'According to X, “…”'; and how it
    was found (``attribution:before``/``after``, ``attribution:colon``)."""
    after = _after(doc, end, next_start)
    before = _before(doc, start, previous_end)
    quote = doc.char_span(start, end, alignment_mode="expand")
    candidates = [(t.i - after.start, t) for t in after or []] + \
                 [(before.end - t.i, t) for t in before or []]
    for _, token in sorted(candidates, key=lambda c: c[0]):
        speakers, cue = _attribution(who, token, quote)
        if speakers:
            side = "after" if token.idx >= end else "before"
            return speakers, cue, token.idx, f"attribution:{side}"
    speakers, cue, at = _introduced(doc, who, start)
    return speakers, cue, at, "attribution:colon" if speakers else "unattributed"


def _introduced(doc: Doc, who: Attributor, start: int) -> tuple[list[Mention], str | None, int]:
    """A quote a clause introduces with a colon ('Pashinyan agreed: “…”')
    is the words of that clause's subject."""
    before = text_of(doc)[:start].rstrip(OPENING_MARKS)
    colon = _token_before(doc, len(before)) if before.endswith(":") else None
    if colon is None or colon.text != ":":
        return [], None, start
    verb = colon.head if colon.head.pos_ in L.verb else sentence_of(colon).root
    if verb.i > colon.i or verb.pos_ not in L.verb:
        return [], None, start
    speakers = [m for m in who.subject(verb) if _named(m)]
    return (speakers, verb.text, verb.idx) if speakers else ([], None, start)


def _attribution(who: Attributor, token: Token,
                 quote: Span | None) -> tuple[list[Mention], str | None]:
    according = who.according(token)
    if according is not None:
        return according, "according to" if token.lower_ == "according" else token.lower_
    lexicon = who.lexicon
    if who.is_speech(token, lexicon.reporting | lexicon.attitude):
        return who.subject(token), token.text
    # a framing verb or a noun attributes only the quote it governs
    if quote is None:
        return [], None
    if token.i < quote.start and _governs(token, quote) and who.is_speech(token, lexicon.framing):
        return who.subject(token), token.text
    if token.pos_ in L.common_noun and token.lower_ in lexicon.nouns and \
            _same_clause(token, quote):
        return who.owner(token), token.text
    return [], None


def _governs(token: Token, quote: Span) -> bool:
    """Whether the quote hangs on the token ('called it “…”') or the token on
    the quote (a parenthetical '“…,” he continued')."""
    inside = {t.i for t in quote}
    return any(t.i in inside for t in token.subtree) or token.head.i in inside


def _same_clause(token: Token, quote: Span) -> bool:
    """'If we believe Lavrov’s statements, Russia is ready … “…”': the noun's
    clause modifies the clause the quote is in."""
    clause = token
    while clause.dep_ not in L.speech_noun_clause_top and clause.head.i != clause.i:
        clause = clause.head
    root = clause.head if clause.dep_ in L.adverbial_clause else clause
    inside = {t.i for t in quote}
    return any(t.i in inside for t in root.subtree)


def _after(doc: Doc, end: int, limit: int) -> Span | None:
    """From the closing mark to the end of its sentence (or the next quote).
    A quote closed on a comma runs on into its attribution even where the
    parser starts a new sentence ('“…,” he added.')."""
    mark = _token_from(doc, end)
    while mark is not None and mark.text in (",", "…") and mark.i + 1 < len(doc):
        mark = doc[mark.i + 1]
    if mark is None or mark.i + 1 >= len(doc):
        return None
    first = doc[mark.i + 1]
    open_end = text_of(doc)[:end].rstrip()[-1:] in (",", ";", ":", "—", "-") or first.is_lower
    sent_end = sentence_of(first if open_end else mark).end_char
    stop = min(sent_end, limit, _line_end(text_of(doc), end))
    return doc.char_span(first.idx, max(stop, first.idx), alignment_mode="contract")


def _before(doc: Doc, start: int, limit: int) -> Span | None:
    """From the opening mark's sentence start (or the last quote) to the mark."""
    token = _token_before(doc, start - 1)
    if token is None:
        return None
    begin = max(sentence_of(token).start_char, limit + 1, _line_start(text_of(doc), start))
    return doc.char_span(begin, max(start - 1, begin), alignment_mode="contract")


def _token_from(doc: Doc, char: int) -> Token | None:
    """The first token starting at or after a char offset."""
    at = bisect.bisect_left(_starts(doc), char)
    return doc[at] if at < len(doc) else None


TOKEN_STARTS = "peacetrack.token_starts"


def _token_before(doc: Doc, char: int) -> Token | None:
    """The last token starting before a char offset."""
    at = bisect.bisect_left(_starts(doc), char) - 1
    return doc[at] if at >= 0 else None


def _starts(doc: Doc) -> list[int]:
    """Token start offsets, computed once per document (looked up by bisection)."""
    starts = doc.user_data.get(TOKEN_STARTS)
    if starts is None or len(starts) != len(doc):
        starts = doc.user_data[TOKEN_STARTS] = doc.to_array(IDX).tolist()
    return starts


def _line_end(text: str, at: int) -> int:
    found = text.find("\n", at)
    return len(text) if found < 0 else found


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


# -- indirect quotes -----------------------------------------------------------

def indirect_quotes(doc: Doc, who: Attributor, inside: list[tuple[int, int]]) -> list[Found]:
    """'X said (that) CLAUSE', 'CLAUSE, X confirmed', 'according to X, CLAUSE',
    'as noted in X, CLAUSE': the reported clause with a named speaker."""
    found: list[Found] = []
    lower, lemmas = words_of(doc)
    lexicon = who.lexicon
    openers = lexicon.openers
    verbs = lexicon.indirect | lexicon.clear_verbs | frozenset(lexicon.attitude_of)
    for i in range(len(doc)):
        if lower[i] not in openers and lemmas[i] not in verbs:
            continue  # neither 'according to' nor speech (see _indirect_at)
        token = doc[i]
        if any(s <= token.idx < e for s, e in inside):
            continue  # speech reported inside a quote is the quoted speaker's
        clause, speakers, cue = _indirect_at(who, token)
        speakers = [m for m in speakers if not _medium(m, doc, who.lexicon)]
        if clause is None or not speakers or _joint(token):
            continue
        start, end = _clause_chars(clause)
        own = _own_words(text_of(doc), start, end, inside)
        if end > start and own >= who.lexicon.min_indirect_words:
            said_from, said_to = _attribution_chars(token, clause, cue == "according to")
            found.append(Found(min(start, said_from), max(end, said_to), False, speakers, cue,
                               token.idx, "attribution:according-to" if cue == "according to"
                               else "attribution:reported-speech"))
    return found


def _attribution_chars(cue: Token, clause: list[Token], according: bool) -> tuple[int, int]:
    """The words that attribute the clause: the cue with its own subject
    ('Aliyev said', 'the Kremlin confirmed') or its whole phrase ('according
    to the ministry'). ANNOTATION.md's indirect quote is the report of speech
    with its speaker ('Aliyev said that Azerbaijan is ready …'), so the
    record's span holds both."""
    inside = {t.i for t in clause}
    phrase = [cue]
    if not according:
        for child in cue.children:
            if child.dep_ in L.active_or_passive_subject or \
                    child.dep_ in L.attribution_modifiers and child.i < cue.i:
                phrase += [t for t in child.subtree if t.i not in inside]
    else:  # 'according to X', 'in the words of X': the phrase up to its object
        phrase += [t for t in cue.subtree if t.i not in inside]
    phrase = [t for t in phrase if not t.is_space]
    first = min(phrase, key=lambda t: t.i)
    last = max(phrase, key=lambda t: t.i)
    while last.i > first.i and last.is_punct:
        last = cue.doc[last.i - 1]
    return first.idx, last.idx + len(last)


def _indirect_at(who: Attributor, token: Token) -> tuple[list[Token] | None, list[Mention], str | None]:
    according = who.according(token)
    if according is not None and token.lower_ != "citing":
        prep = token.head if token.dep_ not in L.preposition else token
        return _host_clause(prep), according, "according to"
    if not who.is_speech(token, who.lexicon.indirect):
        return None, [], None
    clause = _complement(token) or _fronted(token)
    if clause is None:
        return None, [], None
    return clause, [m for m in who.subject(token) if _named(m)], token.text


def _joint(verb: Token) -> bool:
    """'Aliyev and Pashinyan said they would …': a joint saying reported
    in indirect speech has no one named speaker, and is not taken for a quote
    (ANNOTATION.md; their direct words still are)."""
    return any(c.dep_ in L.active_or_passive_subject and
               any(j.dep_ in L.conjunct for j in c.children)
               for c in verb.children)


def _complement(verb: Token) -> list[Token] | None:
    """The verb's clausal complement: 'said [that X]', 'made it clear [that X]',
    or a 'that'-clause the parser hung elsewhere in the verb's phrase ('told
    reporters after the talks that X')."""
    for child in verb.children:
        if child.dep_ in L.closed_complement and child.i > verb.i and \
                (child.pos_ in L.verb or any(
                    c.dep_ in L.marker and c.lower_ in W.reported_clause_marks
                    for c in child.children)):
            return list(child.subtree)  # a misparsed 'noted that [the articles] concerned …'
    for token in verb.subtree:
        clause = token.head
        if token.dep_ in L.marker and token.lower_ in W.reported_clause_marks and \
                token.i > verb.i and clause.dep_ in L.that_clause_links and \
                any(c.dep_ in L.clause_subject for c in clause.children) and \
                _direct_path(clause, verb):
            return list(clause.subtree)
    return None


def _direct_path(clause: Token, verb: Token) -> bool:
    """No other verb between a clause and the speech verb it hangs under
    (', stressing that …' is the participle's complement, not 'said's)."""
    node = clause.head
    while node.i != verb.i and node.head.i != node.i:
        if node.pos_ in L.verb:
            return False
        node = node.head
    return node.i == verb.i


def _fronted(verb: Token) -> list[Token] | None:
    """'CLAUSE, the Kremlin confirmed' / 'As noted in the Kremlin, CLAUSE': the
    clause the verb comments on, without the verb's own words."""
    own = {t.i for t in verb.subtree}
    if _has_as(verb):
        host = verb.head
        while host.pos_ not in L.verb and host.head.i != host.i:
            host = host.head
        # 'As noted in the Kremlin, CLAUSE': what follows the parenthetical
        return [t for t in host.subtree if t.i > max(own)] or \
            [t for t in host.subtree if t.i not in own]
    if not _after_comma(verb):
        return None  # 'a move Yerevan says breaches …' comments on nothing before it
    before = [c for c in verb.children if c.dep_ in L.closed_complement and c.i < verb.i]
    if before:
        return list(before[0].subtree)
    if verb.dep_ in L.parataxis or (verb.dep_ in L.conjunct and any(
            c.dep_ in L.active_or_passive_subject for c in verb.children)):
        return [t for t in verb.head.subtree if t.i not in own and t.i < verb.i]
    return None


def _after_comma(verb: Token) -> bool:
    """Whether the attribution ('the Kremlin confirmed', 'said Lavrov') follows
    a comma or a closing mark, as a comment on what came before."""
    subjects = L.active_or_passive_subject
    first = min([verb.i] + [t.i for c in verb.children if c.dep_ in subjects and c.i < verb.i
                            for t in c.subtree])
    return first > 0 and verb.doc[first - 1].is_punct


def _has_as(verb: Token) -> bool:
    """'as noted in the Kremlin', 'as Lavrov said', 'as the government is convinced'."""
    lemma = verb.lemma_.lower()
    if verb.tag_ not in L.past_participle and lemma not in speech_lexicon().as_comment_verbs:
        return False
    return any(c.dep_ in L.marker and c.lower_ in W.comment_marks
               for c in verb.children) or \
        any(c.dep_ in L.marker and c.lower_ in W.comment_marks for c in verb.head.children
            if verb.dep_ in L.adjective_complement)


def _host_clause(prep: Token) -> list[Token]:
    """The clause an 'according to' phrase is attached to, without it."""
    head = prep.head
    while head.dep_ not in L.according_clause_top and head.head.i != head.i:
        head = head.head
    own = {t.i for t in prep.subtree}
    return [t for t in head.subtree if t.i not in own]


def _medium(mention: Mention, doc: Doc, lexicon: SpeechLexicon) -> bool:
    """Whether the speaker is news media no name covers ('Azerbaijani media
    reported', 'RIA news agency said'): they relay what others said and are
    no named speaker (ANNOTATION.md). A medium named by its own name ('the
    Wall Street Journal reported') is one."""
    last = doc[mention.end - 1]
    return last.lower_ in lexicon.media and last.is_lower


def _named(mention: Mention) -> bool:
    return mention.actor.id is not None or mention.actor.code is not None


def _clause_chars(tokens: list[Token]) -> tuple[int, int]:
    """The clause's char span without its complementiser and outer punctuation."""
    tokens = sorted(tokens, key=lambda t: t.i)
    complementisers = W.complementisers
    while tokens and (tokens[0].is_punct or tokens[0].lower_ in complementisers or
                      tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space) and \
            tokens[-1].text not in ("”", "\"", "’", "»"):
        tokens = tokens[:-1]
    if not tokens:
        return 0, 0
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _own_words(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> int:
    """Words of the clause outside any direct quote."""
    parts, at = [], start
    for s, e in sorted(quoted):
        if e <= at or s >= end:
            continue
        parts.append(text[at:max(s, at)])
        at = max(at, e)
    parts.append(text[at:end])
    return word_count(" ".join(parts))


# -- continuing speech ----------------------------------------------------------

def carry_speakers(text: str, found: list[Found]) -> None:
    """A quote with no attribution of its own continues the speech just
    before it: the next sentence or paragraph of the same speaker ('“…,”
    said Lavrov. “The main thing …”'), or a quote introduced by a colon."""
    ordered = sorted(found, key=lambda f: f.start)
    for n, item in enumerate(ordered):
        if item.speakers or n == 0:
            continue
        previous = ordered[n - 1]
        gap = text[previous.end:item.start]
        if previous.speakers and _adjacent(gap):
            item.speakers, item.cue, item.by = previous.speakers, previous.cue, "continues-speech"


def _adjacent(gap: str) -> bool:
    """Only the rest of the previous sentence (its attribution) and at most
    one paragraph break lie between: the quote opens the next sentence."""
    end = SENTENCE_END.search(gap)
    return gap.count("\n") <= 2 and (end is None or not gap[end.end():].strip(OPENING_MARKS))


def fold_continuing(doc: Doc, direct: list[Found], indirect: list[Found]) -> list[Found]:
    """One saying is one quote: a clause that continues a speaker's words
    ('“…,” Rubio said, adding that …', 'X said A and noted that B') joins the
    quote of the verb it continues; a reported clause inside another of the
    same speaker is part of it. Returns the indirect quotes left."""
    continuing = L.speech_continued_through
    by_cue = {f.anchor: f for f in direct + indirect}
    kept: list[Found] = []
    for item in sorted(indirect, key=lambda f: f.start):
        cue = _token_from(doc, item.anchor)
        parent = by_cue.get(cue.head.idx) if cue is not None and cue.dep_ in continuing \
            and cue.head.i != cue.i else None
        if parent is not None and parent is not item and \
                _ids(parent.speakers) == _ids(item.speakers):
            parent.start, parent.end = min(parent.start, item.start), max(parent.end, item.end)
            continue
        kept.append(item)
    return [f for f in kept if not any(
        o is not f and o.start <= f.start and f.end <= o.end and (o.start, o.end) != (f.start, f.end)
        and _ids(o.speakers) == _ids(f.speakers) for o in kept)]


def join_continued(doc: Doc, who: Attributor, found: list[Found]) -> list[Found]:
    """A speaker's quote broken by its attribution is one quote (ANNOTATION.md:
    a quote over several sentences is one): '“…,” Lavrov said. “…”', '“…,”
    he said, adding, “…”'. Joined only inside one paragraph, when the first
    part is left open on a comma (the attribution ends its sentence) and what
    lies between is a short attribution to the same speaker."""
    out: list[Found] = []
    for item in sorted(found, key=lambda f: f.start):
        previous = out[-1] if out else None
        if previous is not None and _continued(doc, who, previous, item):
            previous.end = item.end
            continue
        out.append(item)
    return out


def _continued(doc: Doc, who: Attributor, first: Found, second: Found) -> bool:
    text = text_of(doc)
    gap = text[first.end:second.start]
    if "\n" in gap or not first.speakers or text[first.end - 1] in ".;:" or \
            _ids(second.speakers or first.speakers) != _ids(first.speakers):
        return False
    words = word_count(gap)
    span = doc.char_span(first.end, second.start, alignment_mode="contract")
    return 0 < words <= who.lexicon.max_attribution_words and span is not None and \
        any(who.is_speech(t, who.lexicon.direct) for t in span)


def _ids(mentions: list[Mention]) -> list[str | None]:
    return [m.actor.id or m.actor.code for m in mentions]


# -- records ---------------------------------------------------------------------

def find_quotes(doc: Doc, actors: DocActors, *, doc_id: str, published: DateValue,
                profile: Profile | None = None) -> list[Quote]:
    """Direct quotes first (they are what a reader sees), then indirect ones.
    ``profile`` names the states that unnamed officials speak for."""
    who = Attributor(doc, actors, speech_lexicon())
    direct = direct_quotes(doc, who)
    indirect = indirect_quotes(doc, who, [(f.start, f.end) for f in direct])
    carry_speakers(text_of(doc), direct + indirect)
    indirect = fold_continuing(doc, direct, indirect)
    direct = join_continued(doc, who, direct)
    quotes: list[Quote] = []
    text = text_of(doc)
    for item in sorted(direct, key=lambda f: f.start) + sorted(indirect, key=lambda f: f.start):
        words = word_count(text[item.start:item.end])
        if not item.speakers and words < 6:
            continue  # an unattributed short phrase is the author's irony, not a quote
        if item.direct and _a_name(text[item.start:item.end]):
            continue  # "Zangezur Corridor", "Sudan Tribune": a name in marks, not speech
        if item.direct and any(o is not item and o.start <= item.start and item.end <= o.end
                               for o in direct + indirect):
            continue  # 'Pompeo "stressed the importance …"': one report of one saying
        quotes += _records(doc, item, doc_id, published, profile)
    return quotes


def _a_name(quoted: str) -> bool:
    """A title in quotation marks: every longer word capitalised, no sentence
    in it ("Joint Declaration of Peace and Friendship")."""
    words = [w.strip("'’\".,;:()") for w in quoted.split()]
    long_words = [w for w in words if len(w) > 3]
    return bool(long_words) and len(words) <= 10 and not any(c in quoted for c in ".!?;") and \
        all(w[:1].isupper() for w in long_words)


def _records(doc: Doc, item: Found, doc_id: str, published: DateValue,
             profile: Profile | None) -> list[Quote]:
    """One record per quote (ANNOTATION.md): a joint statement is quoted once,
    its speaker the first it names ('a statement by China, Saudi Arabia and
    Iran': China)."""
    date = quote_date(doc, item.anchor, published)
    mention = item.speakers[0] if item.speakers else None
    speaker = _speaker(mention, profile)
    key = f"{doc_id}:{item.start}:{item.end}:{speaker.id if speaker else ''}:{item.direct}"
    steps: list[dict[str, Any]] = [{"by": "quote:direct" if item.direct else "quote:indirect"},
                                   {"by": f"speaker:{item.by}", **({"cue": item.cue} if item.cue else {})}]
    if mention is not None:
        steps.append({"by": f"speaker-mention:{mention.kind}"})
        if speaker is not None and speaker is not mention.actor:
            steps.append({"by": "speaker:official-speaks-for-state"})
    return [Quote(id="q-" + hashlib.sha1(key.encode()).hexdigest()[:16], doc=doc_id,
                  span=(item.start, item.end), text=text_of(doc)[item.start:item.end],
                  speaker=speaker, cue=item.cue, direct=item.direct, date=date,
                  decided_by=steps)]


def _speaker(mention: Mention | None, profile: Profile | None) -> Actor | None:
    """The mention's actor; an official with no name ('an Israeli official',
    'the Armenian foreign minister' where no holder is known) speaks for the
    state (ANNOTATION.md: officials without a name are their state)."""
    if mention is None:
        return None
    actor = mention.actor
    if actor.id is None and mention.kind == "title" and profile is not None and \
            actor.sector not in NON_STATE_SECTORS:
        state = profile.country_by_code(actor.code)
        if state is not None:
            return replace(actor, id=state.id, name=state.name)
    return actor


def quote_date(doc: Doc, at: int, published: DateValue) -> DateValue:
    """The date words of the attribution's sentence, else the report's date."""
    token = _token_before(doc, at + 1)
    if token is not None:
        sent = sentence_of(token)
        found = dates.dates_within(doc, anchor=published, start=sent.start_char,
                                   end=sent.end_char)
        if found:
            return min(found, key=lambda d: abs((d.span or (0, 0))[0] - at))
    return DateValue(value=published.value, precision=published.precision)
