"""Find, for each of many texts, the most alike of many others, in time near-linear in their number.

Both of Songphasa's searches by similarity meet sizes a user supplies: `tm
import` weighs every untranslated entry against a memory of any size, and
`update` weighs every edited paragraph against the old ones. Weighing every
pair (difflib's way) took a quarter of an hour for 5,600 entries against a
5,700-unit memory. Here an index by tokens (words, or for texts compared
letter by letter their three-letter pieces) names a few candidates for each
text, the ones that share its rarest tokens, and only those are weighed, by
rapidfuzz (the normalized Indel similarity: twice the longest common
subsequence over the two lengths, the measure difflib's ratio approximates).

A pair is found when the two share one of the text's rarer tokens: two texts
alike enough to be offered share most of theirs. Tokens in very many
candidates ("the", "tion") name none: they say nothing about which one is alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

#: How many index entries one text may look through: its rarest tokens first, until this many.
POSTINGS = 2000
#: How many of a text's rarest tokens are looked up in the index.
PROBES = 12
#: How many candidates (those sharing most looked-up tokens) are weighed for one text.
WEIGHED = 24


def tokens(text: str, *, by_words: bool) -> set[str]:
    """Return a text's tokens: its words, or its three-letter pieces (the text itself when shorter)."""
    if by_words:
        return set(text.split())
    folded = " ".join(text.lower().split())
    return {folded[i:i + 3] for i in range(max(len(folded) - 2, 1))}


def _encoded(texts: Sequence[str], codes: dict[str, str]) -> list[str]:
    """Write each text's word sequence as a string, one character per distinct word (rapidfuzz then weighs words)."""
    out = []
    for text in texts:
        letters = []
        for word in text.split():
            code = codes.get(word)
            if code is None:  # past 1.1 million distinct words two share a letter: a filter's error, never a crash
                number = 0x100 + len(codes) % (0x10F000 - 0x900)
                code = codes[word] = chr(number + 0x800 if number >= 0xD800 else number)  # no surrogates
            letters.append(code)
        out.append("".join(letters))
    return out


def nearest(texts: Sequence[str], candidates: Sequence[str], *, cutoff: float, by_words: bool,
            limit: int = 1) -> list[list[tuple[float, int]]]:
    """Return, for each text, up to ``limit`` (similarity, index) of the candidates at least ``cutoff`` alike.

    Similarity is 0–1, of the words in order (``by_words``) or of the letters; the most alike come first,
    then the lower index. The work is one pass over every token, then for each text at most
    :data:`POSTINGS` index entries counted and :data:`WEIGHED` candidates weighed.
    """
    wanted = [tokens(text, by_words=by_words) for text in texts]
    looked_for = set().union(*wanted)
    index: dict[str, list[int]] = defaultdict(list)
    for number, candidate in enumerate(candidates):
        for token in tokens(candidate, by_words=by_words) & looked_for:
            index[token].append(number)
    if by_words:
        codes: dict[str, str] = {}
        weighed_texts, weighed_candidates = _encoded(texts, codes), _encoded(candidates, codes)
    else:
        weighed_texts, weighed_candidates = list(texts), list(candidates)
    results: list[list[tuple[float, int]]] = []
    for number, own in enumerate(wanted):
        known = sorted((len(index[t]), t) for t in own if t in index)
        shared: Counter[int] = Counter()
        budget = POSTINGS
        for count, token in known[:PROBES]:
            if count > budget:
                break
            budget -= count
            shared.update(index[token])
        found = []
        for chosen, _ in shared.most_common(WEIGHED):
            score = fuzz.ratio(weighed_texts[number], weighed_candidates[chosen], score_cutoff=cutoff * 100)
            if score:
                found.append((score / 100, chosen))
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        results.append(found[:limit])
    return results
