"""A theme's name: a short phrase people wrote, in the room's language, that a room can read aloud.

Why a phrase and not top terms: three stems joined by dots ("events · cultural · big") cannot be
read aloud, put on a ballot or used as an action's title. The words that set a theme apart are
already known (the TF-IDF top terms); the name is the 1-4 word stretch of one of the theme's
ideas that carries the most of them, taken as typed (diacritics included, cedilla letters made
comma-below), so it is always something a participant wrote. Ideas in the room's language are
preferred: a theme whose ideas are Romanian and English is named in the workshop's language.

A stretch never crosses punctuation and never starts or ends with a stop word ("spații de
coworking" is a candidate, "de coworking" is not). Among stretches of equal weight the shorter
wins, and a stretch that several ideas share wins over one idea's wording.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from analysis.language import content_form, stem
from analysis.text import canonical, detect_language, fold, word_spans

# The longest name, in words (stop words inside it included).
MOST_WORDS = 4
# How much each content word beyond the first two lowers a stretch's score: longer names must
# carry clearly more of the theme's terms to win.
LENGTH_PENALTY = 0.15
# How much more a stretch that opens its idea is worth: ideas usually open with their head
# ("Restaurarea clădirilor istorice…"), and a stretch from the middle often starts with a
# genitive ("clădirilor istorice din cetate").
OPENING_BONUS = 0.2
# How much less an English stretch is worth when the next word of its clause is a lower-case
# content word: English noun phrases end with their head, so "monthly meetings between event"
# (of "... event organisers") stops on a modifier. A capitalised next word is taken for the start
# of a name, not a head. Romanian puts the head first ("spații de coworking ieftine"), so a
# Romanian stretch cut there still names its thing.
CUT_PENALTY = 0.75
_CLAUSES = re.compile(r"[.,;:!?()\[\]{}\"„”“«»/\\|•·\n\t]+|\s[-–—]\s")


def theme_name(
    texts: Sequence[str],
    weights: Mapping[str, float],
    *,
    language: str | None = None,
) -> str:
    """The name of a theme whose ideas are texts; weights maps a stem to how much it sets the
    theme apart (positive only count). language, when given, is the room's language: ideas in it
    are preferred as the source of the name. Returns "" when no idea has a weighted word."""
    languages = [detect_language(text) for text in texts]
    preferred = [t for t, lang in zip(texts, languages, strict=True) if lang == language]
    for source in (preferred, texts) if preferred else (texts,):
        name = _best_stretch(source, weights, language)
        if name:
            return name
    return ""


def _best_stretch(texts: Sequence[str], weights: Mapping[str, float], language: str | None) -> str:
    """The highest-scoring stretch of any of texts, shown as typed."""
    scores: dict[str, float] = {}
    shown: dict[str, Counter] = {}
    for text in texts:
        language = detect_language(text)
        for stretch, content_stems, opening, cut in _stretches(text, language):
            score = sum(max(0.0, weights.get(s, 0.0)) for s in set(content_stems))
            if score <= 0:
                continue
            extra = max(0, len(set(content_stems)) - 2)
            score *= (1.0 + OPENING_BONUS * opening) / (1.0 + LENGTH_PENALTY * extra)
            if cut and language == "en":
                score *= CUT_PENALTY
            key = fold(stretch)
            scores[key] = max(scores.get(key, 0.0), score)
            shown.setdefault(key, Counter())[stretch] += 1
    if not scores:
        return ""
    # A stretch several ideas share is worth a little more than one idea's wording.
    best = max(
        scores,
        key=lambda key: (
            scores[key] * (1.0 + 0.25 * min(3, shown[key].total() - 1)),
            -len(key),
        ),
    )
    forms = shown[best]
    form = max(forms, key=lambda f: (not f.isascii(), forms[f]))
    return _capitalised(canonical(form))


def _stretches(text: str, language: str) -> list[tuple[str, list[str], bool, bool]]:
    """Every stretch of 1-MOST_WORDS words of text within a clause that starts and ends with a
    content word, as typed, with the stems of its content words, whether it opens the text, and
    whether the clause goes on with a content word right after it."""
    found = []
    for number, clause in enumerate(_CLAUSES.split(text)):
        spans = word_spans(clause)
        stems_of = []
        for begin, end in spans:
            content = content_form(fold(clause[begin:end]), language)
            stems_of.append(stem(content, language) if content is not None else None)
        for first in range(len(spans)):
            if stems_of[first] is None:
                continue
            for last in range(first, min(len(spans), first + MOST_WORDS)):
                if stems_of[last] is None:
                    continue
                content_stems = [s for s in stems_of[first : last + 1] if s is not None]
                typed = " ".join(clause[spans[first][0] : spans[last][1]].split())
                after = last + 1
                cut = (
                    after < len(spans)
                    and stems_of[after] is not None
                    and clause[spans[after][0]].islower()  # not a name: "United States President"
                )
                found.append((typed, content_stems, number == 0 and first == 0, cut))
    return found


def _capitalised(phrase: str) -> str:
    """The phrase with its first letter in upper case (acronyms and the rest left as typed)."""
    return phrase[:1].upper() + phrase[1:] if phrase else phrase
