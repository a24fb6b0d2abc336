"""The local RAG evaluation: deterministic lexical and BM25 scores of RAG samples, and a summary.

Nothing here calls a model: every score is computed from the words of the sample, so the same
samples give the same scores on every machine (terms are hashed with ``zlib.crc32``, never with
Python's salted ``hash()``). A report reads the samples twice, streamed in batches:

1. ``TermStatistics.add`` counts, in a fixed number of hash buckets, how many documents (user
   inputs, contexts and outputs, each a document) hold each term, and their average length;
2. ``RagScorer.score`` scores each batch against those statistics, and ``RagSummary.add`` folds the
   scores into fixed-bin histograms, so neither pass keeps more than a batch in memory.

Similarity
----------
Texts are lower-cased and cut into Unicode word tokens (numbers such as ``3.5`` stay one token).
For the similarity scores the stop words of the language are dropped (English, Italian, or both
for ``"multilanguage"``), accents are stripped, and a light stemmer conflates inflections
(Harman's S-stemmer for English plurals; the final vowel dropped for Italian gender and number).
Each text becomes a vector of BM25 term weights,

    w(t, d) = idf(t) * tf(t, d) (k1 + 1) / (tf(t, d) + k1 (1 - b + b |d| / avgdl)),
    idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))        (Lucene's always-positive idf),

with N, df and avgdl from ``TermStatistics``. The relevance of a context (or of the output) to
the user input is the share of the input's weight on terms the context holds too:

    relevance(q, d) = sum of w(t, q) over the terms t of q found in d / sum of w(t, q),

in [0, 1]: 1 when every content term of the question is in the context, 0 when none is, the rare
terms (high idf) counting most. We chose this coverage over the cosine of the two vectors
because a context is relevant when it holds what was asked, however much else it holds: the
cosine of a short question and a long passage that answers it stays far below 1 (about 0.3 on
plain FAQ passages), which made its threshold meaningless. The vectors' unit norm, kept for the
groundedness kernel, cancels in the ratio.

The answer scores against the target (token F1, ROUGE-L) use SQuAD-style normalisation instead:
lower-cased word tokens with punctuation and articles dropped, stop words kept, no stemming.
"""

from __future__ import annotations

import base64
import math
import re
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numba as nb
import numpy as np

from driftline_server.monitoring.vocabulary import REPORT_LANGUAGES
from driftline_server.monitoring.reports.samples import RagSample

LANGUAGES = tuple(REPORT_LANGUAGES.values())

#: The metrics scored in [0, 1], summarised with 1000-bin histograms.
SCORE_METRICS: tuple[str, ...] = (
    "context_relevance",
    "best_context_relevance",
    "answer_relevance",
    "groundedness",
    "answer_correctness",
    "answer_rouge_l",
)
#: The integer counts, summarised with exact-then-log-spaced histograms.
LENGTH_METRICS: tuple[str, ...] = (
    "output_tokens",
    "output_characters",
    "output_sentences",
    "supported_sentences",
)
#: Every metric a ``RagSummary`` holds, in the order ``metrics()`` returns them.
SUMMARY_METRICS: tuple[str, ...] = SCORE_METRICS + ("refusal",) + LENGTH_METRICS

METRIC_DESCRIPTIONS: dict[str, str] = {
    "context_relevance": "Mean over the retrieved contexts of the share of the user input's "
    "content (its terms weighted by BM25) that the context holds (no value without contexts).",
    "best_context_relevance": "Highest share of the user input's BM25-weighted content that any "
    "one retrieved context holds (no value without contexts).",
    "answer_relevance": "Share of the user input's content (its terms weighted by BM25) that the "
    "output takes up.",
    "groundedness": "Share of the output's sentences, weighted by their content words, supported "
    "by a context sentence: enough of its content words and word pairs appear in that sentence, "
    "or its BM25-weighted cosine similarity passes the support threshold (no value for an empty "
    "output or without contexts).",
    "supported_sentences": "Number of output sentences with content words that a context "
    "sentence supports.",
    "output_sentences": "Number of output sentences with at least one content word.",
    "answer_correctness": "Token F1 of the output against the target after SQuAD-style "
    "normalisation (lower case, punctuation and articles dropped); no value without target.",
    "answer_rouge_l": "ROUGE-L F-measure (longest common subsequence of tokens, same "
    "normalisation) of the output against the target; no value without target.",
    "output_tokens": "Number of word tokens in the output.",
    "output_characters": "Number of characters in the output.",
    "refusal": "Whether the output declines to answer (English and Italian refusal phrases such "
    "as \"I'm sorry, I can't...\", \"As an AI...\", \"Mi dispiace, non posso...\").",
}

# ---------------------------------------------------------------------------------------------
# Words: tokens, stop words, normalisation, hashing
# ---------------------------------------------------------------------------------------------

# Numbers with decimal or thousands separators first, so "3.5" is one token and not "3", "5".
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")

_ENGLISH_STOP_WORDS = frozenset(
    """a about above after again against ain all also am an and any are aren as at be because
    been before being below between both but by can cannot could couldn d did didn do does doesn
    doing don down during each either etc few for from further had hadn has hasn have haven having
    he her here hers herself him himself his how however i if in into is isn it its itself just ll
    m may me might more most must mustn my myself neither no nor not now o of off on once only or
    other ought our ours ourselves out over own per re s same shall shan she should shouldn so
    some such t than that the their theirs them themselves then there therefore these they this
    those through thus to too under until up upon us ve very via was wasn we were weren what when
    where whether which while who whom whose why will with won would wouldn y yet you your yours
    yourself yourselves""".split()
)
_ITALIAN_STOP_WORDS_ACCENTED = """a ad agl agli ai al all alla alle allo anche ancora avere aveva
    avevano abbiamo avete c che chi ci coi col come con cosi così cui d da dagl dagli dai dal dall
    dalla dalle dallo degl degli dei del dell della delle dello di dove e è ed era erano essere fra
    fu furono gia già gli ha hai hanno ho i il in io l la le lei li lo loro lui ma me mi mia mie
    miei mio ne negl negli nei nel nell nella nelle nello noi non nostra nostre nostri nostro o od
    ogni per perche perché piu più poi quale quali quando quanta quante quanti quanto quel quell
    quella quelle quelli quello quest questa queste questi questo se sei si sia siamo siete sono
    sta stata state stati stato su sua sue sugl sugli sui sul sull sulla sulle sullo suo suoi tra
    tu tua tue tuo tuoi tutta tutte tutti tutto un una uno vi voi vostra vostre vostri vostro
    """.split()

_ARTICLES = {
    "english": frozenset({"a", "an", "the"}),
    "italian": frozenset({"il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una"}),
}
_ARTICLES["multilanguage"] = _ARTICLES["english"] | _ARTICLES["italian"]


def _strip_accents(term: str) -> str:
    """The term without combining marks ("perché" -> "perche"), so typed variants meet."""
    if term.isascii():
        return term
    decomposed = unicodedata.normalize("NFKD", term)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_ITALIAN_STOP_WORDS = frozenset(_strip_accents(w) for w in _ITALIAN_STOP_WORDS_ACCENTED)
_STOP_WORDS = {
    "english": _ENGLISH_STOP_WORDS,
    "italian": _ITALIAN_STOP_WORDS,
    "multilanguage": _ENGLISH_STOP_WORDS | _ITALIAN_STOP_WORDS,
}


def _stemmers(language: str):
    """Snowball's stemmers of the language ("refunded", "refunds" and "refund" meet; "modelli"
    and "modello" too); a mixed task's terms go through both."""
    import snowballstemmer

    names = {"english": ("english",), "italian": ("italian",),
             "multilanguage": ("english", "italian")}[language]
    return tuple(snowballstemmer.stemmer(name).stemWord for name in names)


class _Analyser:
    """Maps a lower-cased token to its hash bucket, or -1 when it carries no content.

    The mapping is a pure function of the token; a bounded cache only saves recomputing it for
    the tokens of recent batches.
    """

    _CACHE_LIMIT = 1 << 19

    def __init__(self, language: str, buckets: int) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
        if buckets < 1:
            raise ValueError("buckets must be positive")
        self.language = language
        self.buckets = int(buckets)
        self.articles = _ARTICLES[language]
        self._stop_words = _STOP_WORDS[language]
        self._stems = _stemmers(language)
        self._cache: dict[str, int] = {}

    def _code(self, token: str) -> int:
        term = _strip_accents(token)
        if term in self._stop_words or (len(term) == 1 and not term.isdigit()):
            return -1
        if not term[0].isdigit():
            for stem in self._stems:
                term = stem(term)
        return zlib.crc32(term.encode("utf-8")) % self.buckets

    def codes(self, terms: Sequence[str]) -> np.ndarray:
        """The bucket (or -1) of each distinct term of a batch, as int64."""
        cache = self._cache
        if len(cache) > self._CACHE_LIMIT:
            cache.clear()
        out = np.empty(len(terms), dtype=np.int64)
        for i, term in enumerate(terms):
            code = cache.get(term)
            if code is None:
                code = cache[term] = self._code(term)
            out[i] = code
        return out


@dataclass
class _Encoded:
    """The tokens of a list of texts: per-text counts, per-token ids into a batch vocabulary."""

    lengths: np.ndarray  # int64, tokens per text
    ids: np.ndarray  # int64, the vocabulary index of each token, texts one after another
    vocabulary: list[str]


def _encode(texts: Sequence[str]) -> _Encoded:
    # The Python work is one regex call per text and C-level passes over the tokens; everything
    # done per term (stop words, stemming, hashing) is done once per distinct term of the batch.
    findall = _WORD.findall
    token_lists = [findall(text.lower()) for text in texts]
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    flat = list(chain.from_iterable(token_lists))
    vocabulary = list(dict.fromkeys(flat))
    index = dict(zip(vocabulary, range(len(vocabulary))))
    ids = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
    return _Encoded(lengths, ids, vocabulary)


def _group_terms(rows: np.ndarray, keys: np.ndarray, n_rows: int, key_bound: int):
    """CSR-like (indptr, sorted distinct keys, counts) of the (row, key) pairs, keys < key_bound."""
    if rows.size == 0:
        return np.zeros(n_rows + 1, dtype=np.int64), keys[:0].copy(), np.zeros(0, dtype=np.int64)
    if n_rows * key_bound < (1 << 62):
        # One sort of a combined key is several times faster than a two-key lexsort.
        combined = np.sort(rows * key_bound + keys)
        rows, keys = np.divmod(combined, key_bound)
        start = np.empty(combined.size, dtype=bool)
        start[0] = True
        np.not_equal(combined[1:], combined[:-1], out=start[1:])
    else:
        order = np.lexsort((keys, rows))
        rows = rows[order]
        keys = keys[order]
        start = np.empty(rows.size, dtype=bool)
        start[0] = True
        np.logical_or(rows[1:] != rows[:-1], keys[1:] != keys[:-1], out=start[1:])
    first = np.flatnonzero(start)
    counts = np.diff(np.append(first, rows.size))
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[first], minlength=n_rows), out=indptr[1:])
    return indptr, keys[first], counts.astype(np.int64)


# ---------------------------------------------------------------------------------------------
# Term statistics
# ---------------------------------------------------------------------------------------------


class TermStatistics:
    """Document frequencies of hashed terms over a corpus, bounded in memory (fixed buckets), built
    by a first streamed pass over the samples (user inputs, contexts, outputs each a document).

    A term is counted once per document that holds it; hash collisions merge the counts of the
    terms sharing a bucket, which with the default 262144 buckets and a corpus vocabulary of tens
    of thousands of terms touches a few percent of them, mostly rare ones.
    """

    _CHUNK = 8192

    def __init__(self, language: str, buckets: int = 1 << 18) -> None:
        self._analyser = _Analyser(language, buckets)
        self.document_frequencies = np.zeros(self._analyser.buckets, dtype=np.int64)
        self.documents = 0
        self.total_length = 0  # content tokens over all documents, for the average length
        self._idf: np.ndarray | None = None

    @property
    def language(self) -> str:
        return self._analyser.language

    @property
    def buckets(self) -> int:
        return self._analyser.buckets

    @property
    def average_length(self) -> float:
        """Mean content tokens per document (1 before any document, so BM25 stays defined)."""
        if self.documents == 0 or self.total_length == 0:
            return 1.0
        return self.total_length / self.documents

    def add(self, samples: Sequence[RagSample]) -> None:
        """Count the documents of ``samples``: each user input, context and output."""
        for start in range(0, len(samples), self._CHUNK):
            self._add_chunk(samples[start : start + self._CHUNK])

    def _add_chunk(self, samples: Sequence[RagSample]) -> None:
        texts: list[str] = []
        for sample in samples:
            texts.append(sample.user_input)
            texts.extend(sample.contexts)
            texts.append(sample.output)
        if not texts:
            return
        encoded = _encode(texts)
        buckets = self._analyser.codes(encoded.vocabulary)[encoded.ids]
        content = buckets >= 0
        documents = np.repeat(np.arange(len(texts), dtype=np.int64), encoded.lengths)[content]
        buckets = buckets[content]
        _, distinct, _ = _group_terms(documents, buckets, len(texts), self.buckets)
        self.document_frequencies += np.bincount(distinct, minlength=self.buckets)
        self.documents += len(texts)
        self.total_length += int(buckets.size)
        self._idf = None

    def merge(self, other: TermStatistics) -> None:
        """Add the counts of ``other`` (built with the same language and buckets)."""
        if (other.language, other.buckets) != (self.language, self.buckets):
            raise ValueError("term statistics of different languages or buckets do not merge")
        self.document_frequencies += other.document_frequencies
        self.documents += other.documents
        self.total_length += other.total_length
        self._idf = None

    def to_dict(self) -> dict:
        """A JSON-able form, to persist the first pass; ``from_dict`` reads it back."""
        frequencies = self.document_frequencies.astype("<i8").tobytes()
        return {
            "language": self.language,
            "buckets": self.buckets,
            "documents": self.documents,
            "total_length": self.total_length,
            "document_frequencies": base64.b64encode(zlib.compress(frequencies)).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> TermStatistics:
        statistics = cls(data["language"], int(data["buckets"]))
        raw = zlib.decompress(base64.b64decode(data["document_frequencies"]))
        frequencies = np.frombuffer(raw, dtype="<i8")
        if frequencies.size != statistics.buckets:
            raise ValueError("document frequencies do not match the number of buckets")
        statistics.document_frequencies = frequencies.astype(np.int64)
        statistics.documents = int(data["documents"])
        statistics.total_length = int(data["total_length"])
        return statistics

    def idf(self) -> np.ndarray:
        """BM25 inverse document frequency of each bucket, ln(1 + (N - df + .5) / (df + .5))."""
        if self._idf is None:
            df = self.document_frequencies.astype(np.float64)
            idf = np.log1p((self.documents - df + 0.5) / (df + 0.5))
            idf.flags.writeable = False
            self._idf = idf
        return self._idf


# ---------------------------------------------------------------------------------------------
# Sentences and refusals
# ---------------------------------------------------------------------------------------------

# Abbreviations after which a period does not end a sentence (single letters, as in "e.g.",
# "i.e." or initials, are handled by one rule). Case-insensitive through character classes,
# because a look-behind must have a fixed width.
_ABBREVIATIONS = (
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "cf", "fig", "figs", "vol", "approx",
    "al", "ca", "eq", "ch", "pp", "sig", "sigg", "dott", "ing", "avv", "ecc", "pag", "es", "art",
    "cap", "tel", "nr", "nn",
)  # fmt: skip
_NOT_ABBREVIATION = "".join(
    r"(?<!\b" + "".join(f"[{c}{c.upper()}]" for c in abbreviation) + r"\.)"
    for abbreviation in _ABBREVIATIONS
)
_LOWER = "a-zà-öø-ÿ"
# Every branch starts with a character (no look-behind first), so the regex engine skips ahead
# to the candidate characters instead of trying each branch at every position: twice as fast.
_SENTENCE_BOUNDARY = re.compile(
    # "?" or "!" (maybe closed by a quote or bracket) ends a sentence before any next word;
    r"[!?…]+[\"'”’»)\]]*\s+"
    # a period does, unless it closes an abbreviation or an initial, or the next word is lower
    # case ("etc. and"); decimals such as "3.5" never qualify, having no space after the point;
    rf"|\.+(?<!\b[A-Za-z]\.){_NOT_ABBREVIATION}[\"'”’»)\]]*\s+(?![\s{_LOWER}])"
    # a blank line always does, a line break unless the next line goes on in lower case.
    rf"|\n\s*\n\s*|\n[ \t]*(?![\s{_LOWER}])"
)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, split at ".", "?", "!" and line breaks, abbreviations kept.

    The sentence-ending punctuation is dropped with the space after it (the scores read only
    the words); ellipses and decimals inside a sentence stay.
    """
    return [s for s in _SENTENCE_BOUNDARY.split(text) if s and not s.isspace()]


# A word every refusal phrase below contains: most outputs hold none and skip the full search,
# which tries each phrase at each position (a tenth of the time over ordinary answers).
_REFUSAL_HINT = re.compile(
    r"sorry|unfortunately|regrettably|can't|cannot|can not|unable|able|n't|do not|does not"
    r"|enough|sufficient|relevant|position|as an? |decline|dispiace|spiace|scus|purtroppo"
    r"|non |informazion|in quanto|essendo"
)
_REFUSAL = re.compile(
    "|".join(
        (
            # English: an apology leading to an inability, anywhere in its sentence.
            r"^\W*(?:i'm |i am |we're |we are )?(?:so |very |truly |really )?sorry\b[^.!?\n]*"
            r"\b(?:can't|cannot|can not|unable|not able|don't have|do not have|no information"
            r"|not sure|won't|will not)",
            r"^\W*(?:unfortunately|regrettably),? (?:i|we) (?:can't|cannot|can not|don't|do not"
            r"|am unable|'m unable|am not able|'m not able|couldn't|could not)",
            r"\b(?:i|we) (?:can't|cannot|can not|am unable to|'m unable to|are unable to"
            r"|am not able to|'m not able to|won't be able to|will not be able to"
            r"|am not in a position to)\s+(?:\w+\s+){0,2}?(?:answer|help|assist|provide|find"
            r"|determine|say|tell|share|give|comply|access|respond|offer|discuss|confirm"
            r"|locate|identify|fulfil|fulfill)",
            r"\bi (?:don't|do not) (?:have|possess) (?:enough|sufficient|the necessary"
            r"|the required|adequate|any|access)",
            r"\b(?:not enough|insufficient|no sufficient|no relevant) (?:information|context|data"
            r"|details)\b",
            r"\bi (?:don't|do not) know\b",
            r"\bas an (?:ai|artificial intelligence)\b",
            r"\bas an? (?:ai |large )?language model\b",
            r"\b(?:context|documents?|sources?|passages?) (?:provided |given )?(?:does not"
            r"|doesn't|do not|don't) (?:contain|provide|include|mention|say|specify|cover"
            r"|offer)",
            r"\bi (?:must|have to) (?:respectfully )?decline\b",
            # Italian.
            r"^\W*(?:mi dispiace|mi spiace|spiacente|chiedo scusa|mi scuso|purtroppo)\b[^.!?\n]*"
            r"\bnon (?:posso|ho|sono|riesco|dispongo|è possibile|e' possibile|e possibile|so)\b",
            r"\bnon (?:posso|riesco a|sono in grado di|mi è possibile|mi e' possibile"
            r"|è possibile|e' possibile)\s+(?:\w+\s+){0,2}?(?:rispondere|aiutar|fornire|dare"
            r"|dire|trovare|determinare|accedere|condividere|confermare|identificare)",
            r"\bnon (?:ho|dispongo di|possiedo|abbiamo|dispongo delle|ci sono) (?:\w+\s+){0,2}?"
            r"informazion",
            r"\binformazioni insufficienti\b",
            r"\b(?:in quanto|essendo) (?:un[a']? )?(?:ia|intelligenza artificiale"
            r"|assistente virtuale|modello (?:di linguaggio|linguistico))\b",
            r"\bil contesto (?:fornito |dato )?non (?:contiene|fornisce|include|menziona"
            r"|specifica|riporta)",
            r"\bnon lo so\b",
            r"\bnon saprei\b",
        )
    )
)


def is_refusal(output: str) -> bool:
    """Whether the output declines to answer, by English and Italian refusal phrases."""
    text = output.lower().replace("’", "'").replace("`", "'")
    return _REFUSAL_HINT.search(text) is not None and _REFUSAL.search(text) is not None


# ---------------------------------------------------------------------------------------------
# Compiled kernels
# ---------------------------------------------------------------------------------------------


@nb.njit(cache=True, nogil=True)
def _dot(indptr, keys, weights, a, b):
    """Dot product of rows a and b of a CSR-like matrix with sorted keys."""
    i, i_end = indptr[a], indptr[a + 1]
    j, j_end = indptr[b], indptr[b + 1]
    total = 0.0
    while i < i_end and j < j_end:
        ki, kj = keys[i], keys[j]
        if ki == kj:
            total += weights[i] * weights[j]
            i += 1
            j += 1
        elif ki < kj:
            i += 1
        else:
            j += 1
    return total


@nb.njit(cache=True, nogil=True)
def _coverage(indptr, keys, weights, a, b):
    """The share of row a's weight on keys that row b holds too (0 for an empty row a)."""
    i, i_end = indptr[a], indptr[a + 1]
    j, j_end = indptr[b], indptr[b + 1]
    covered = 0.0
    total = 0.0
    while i < i_end:
        total += weights[i]
        while j < j_end and keys[j] < keys[i]:
            j += 1
        if j < j_end and keys[j] == keys[i]:
            covered += weights[i]
        i += 1
    return covered / total if total > 0.0 else 0.0


@nb.njit(cache=True, nogil=True)
def _common_either(indptr, keys, a, b, c):
    """Number of keys of row a found in row b or row c (sorted, distinct keys)."""
    j, j_end = indptr[b], indptr[b + 1]
    k, k_end = indptr[c], indptr[c + 1]
    n = 0
    for i in range(indptr[a], indptr[a + 1]):
        key = keys[i]
        while j < j_end and keys[j] < key:
            j += 1
        while k < k_end and keys[k] < key:
            k += 1
        if (j < j_end and keys[j] == key) or (k < k_end and keys[k] == key):
            n += 1
    return n


@nb.njit(cache=True, nogil=True)
def _relevance_kernel(indptr, keys, weights, question, context_start, context_count, output):
    n = question.size
    mean = np.full(n, np.nan)
    best = np.full(n, np.nan)
    answer = np.empty(n)
    for s in range(n):
        q = question[s]
        answer[s] = min(1.0, _coverage(indptr, keys, weights, q, output[s]))
        count = context_count[s]
        if count > 0:
            total = 0.0
            top = 0.0
            for c in range(context_start[s], context_start[s] + count):
                value = min(1.0, _coverage(indptr, keys, weights, q, c))
                total += value
                top = max(top, value)
            mean[s] = min(1.0, total / count)
            best[s] = top
    return mean, best, answer


@nb.njit(cache=True, nogil=True)
def _groundedness_kernel(
    indptr, keys, counts, weights, bigram_indptr, bigram_keys, unit_document,
    output_start, output_stop, context_start, context_stop, has_context,
    coverage_threshold, support_threshold,
):  # fmt: skip
    n = output_start.size
    groundedness = np.full(n, np.nan)
    supported = np.zeros(n, dtype=np.int32)
    judged = np.zeros(n, dtype=np.int32)
    for s in range(n):
        weight_total = 0.0
        weight_supported = 0.0
        for o in range(output_start[s], output_stop[s]):
            distinct = indptr[o + 1] - indptr[o]
            if distinct == 0:
                continue  # a sentence of stop words or punctuation states nothing to check
            weight = 0.0
            for k in range(indptr[o], indptr[o + 1]):
                weight += counts[k]
            judged[s] += 1
            weight_total += weight
            bigrams = bigram_indptr[o + 1] - bigram_indptr[o]
            is_supported = False
            for c in range(context_start[s], context_stop[s]):
                if _dot(indptr, keys, weights, o, c) >= support_threshold:
                    is_supported = True
                    break
                # Coverage by the sentence alone, then by it and the next sentence of the same
                # context, so that a claim split across two ("... the Eiffel Tower. It was
                # completed in 1889.") or resolved through a pronoun is still found.
                for window in range(2):
                    d = c + window
                    if window == 1 and (
                        d >= context_stop[s] or unit_document[d] != unit_document[c]
                    ):
                        break
                    shared = _common_either(indptr, keys, o, c, d)
                    coverage = shared / distinct
                    if bigrams > 0:
                        shared = _common_either(bigram_indptr, bigram_keys, o, c, d)
                        coverage = 0.5 * (coverage + shared / bigrams)
                    if coverage >= coverage_threshold:
                        is_supported = True
                        break
                if is_supported:
                    break
            if is_supported:
                supported[s] += 1
                weight_supported += weight
        if has_context[s] and weight_total > 0:
            groundedness[s] = weight_supported / weight_total
    return groundedness, supported, judged


@nb.njit(cache=True, nogil=True)
def _lcs_length(a, b):
    """Length of the longest common subsequence of two id sequences (one-row dynamic program)."""
    if a.size < b.size:
        a, b = b, a
    m = b.size
    row = np.zeros(m + 1, dtype=np.int32)
    for i in range(a.size):
        diagonal = 0
        ai = a[i]
        for j in range(m):
            above = row[j + 1]
            if ai == b[j]:
                row[j + 1] = diagonal + 1
            elif row[j] > above:
                row[j + 1] = row[j]
            diagonal = above
    return row[m]


@nb.njit(cache=True, nogil=True)
def _common_tokens(a, b):
    """Size of the multiset intersection of two id sequences."""
    a = np.sort(a)
    b = np.sort(b)
    i = 0
    j = 0
    n = 0
    while i < a.size and j < b.size:
        if a[i] == b[j]:
            n += 1
            i += 1
            j += 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    return n


@nb.njit(cache=True, nogil=True)
def _answer_kernel(ids, output_start, output_stop, target_start, target_stop, has_target):
    n = output_start.size
    f1 = np.full(n, np.nan)
    rouge = np.full(n, np.nan)
    for s in range(n):
        if not has_target[s]:
            continue
        out = ids[output_start[s] : output_stop[s]]
        ref = ids[target_start[s] : target_stop[s]]
        if out.size == 0 or ref.size == 0:
            # SQuAD's convention: two empty answers agree, an empty one matches nothing else.
            value = 1.0 if out.size == ref.size else 0.0
            f1[s] = value
            rouge[s] = value
            continue
        common = _common_tokens(out, ref)
        f1[s] = 2.0 * common / (out.size + ref.size)
        lcs = _lcs_length(out, ref)
        rouge[s] = 2.0 * lcs / (out.size + ref.size)
    return f1, rouge


def token_f1(output: str, target: str, language: str = "english") -> float:
    """Token F1 of ``output`` against ``target``, SQuAD-style normalised (one pair, for callers)."""
    articles = _ARTICLES[language]
    out = [t for t in _WORD.findall(output.lower()) if t not in articles]
    ref = [t for t in _WORD.findall(target.lower()) if t not in articles]
    if not out or not ref:
        return 1.0 if len(out) == len(ref) else 0.0
    vocabulary = {t: i for i, t in enumerate(dict.fromkeys(out + ref))}
    common = _common_tokens(
        np.array([vocabulary[t] for t in out], dtype=np.int64),
        np.array([vocabulary[t] for t in ref], dtype=np.int64),
    )
    return 2.0 * common / (len(out) + len(ref))


# ---------------------------------------------------------------------------------------------
# The scorer
# ---------------------------------------------------------------------------------------------

_SCORE_DTYPES = {
    "context_relevance": np.float64,
    "best_context_relevance": np.float64,
    "answer_relevance": np.float64,
    "groundedness": np.float64,
    "supported_sentences": np.int32,
    "output_sentences": np.int32,
    "answer_correctness": np.float64,
    "answer_rouge_l": np.float64,
    "output_tokens": np.int32,
    "output_characters": np.int32,
    "refusal": np.bool_,
}


class RagScorer:
    """Scores batches of RAG samples against the term statistics of their corpus.

    ``support_threshold`` is the BM25-weighted cosine similarity above which a context sentence
    supports an output sentence; ``coverage_threshold`` the share of the output sentence's
    content words (averaged with the share of its content word pairs, when it has any) that one
    context sentence must hold to support it. ``k1`` and ``b`` are BM25's saturation and length
    normalisation, at the usual 1.2 and 0.75.
    """

    _CHUNK = 4096

    def __init__(
        self,
        statistics: TermStatistics,
        *,
        support_threshold: float = 0.5,
        coverage_threshold: float = 0.5,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        for name, value in (("support_threshold", support_threshold),
                            ("coverage_threshold", coverage_threshold), ("b", b)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], not {value}")
        if k1 < 0:
            raise ValueError("k1 must not be negative")
        self.statistics = statistics
        self.support_threshold = float(support_threshold)
        self.coverage_threshold = float(coverage_threshold)
        self.k1 = float(k1)
        self.b = float(b)

    def score(self, samples: Sequence[RagSample]) -> dict[str, np.ndarray]:
        """Per-sample scores of a batch, arrays of len(samples), in this order of keys:

        context_relevance        float64 [0,1]: mean over the contexts of user input vs context
                                 (NaN when no contexts)
        best_context_relevance   float64 [0,1]: max over the contexts (NaN when no contexts)
        answer_relevance         float64 [0,1]: user input vs output (0 when either has no
                                 content words)
        groundedness             float64 [0,1]: share of the output's sentences (weighted by
                                 their content-token count) supported by the contexts (NaN when
                                 the output has no content words or there are no contexts)
        supported_sentences      int32, output_sentences int32 (sentences with content words)
        answer_correctness       float64 [0,1]: token F1 of output vs target, NaN without target
        answer_rouge_l           float64 [0,1]: ROUGE-L F-measure of output vs target, NaN
                                 without target
        output_tokens            int32, output_characters int32
        refusal                  bool: the output declines to answer
        """
        parts = [
            self._score_chunk(samples[start : start + self._CHUNK])
            for start in range(0, len(samples), self._CHUNK)
        ]
        if not parts:
            return {name: np.zeros(0, dtype=dtype) for name, dtype in _SCORE_DTYPES.items()}
        if len(parts) == 1:
            return parts[0]
        return {name: np.concatenate([p[name] for p in parts]) for name in _SCORE_DTYPES}

    def _bm25(self, indptr, keys, counts) -> np.ndarray:
        """L2-normalised BM25 weights of the CSR-like term counts."""
        n_rows = indptr.size - 1
        rows = np.repeat(np.arange(n_rows), np.diff(indptr))
        tf = counts.astype(np.float64)
        lengths = np.bincount(rows, weights=tf, minlength=n_rows)
        norm = self.k1 * (1.0 - self.b + self.b * lengths / self.statistics.average_length)
        weights = self.statistics.idf()[keys] * tf * (self.k1 + 1.0) / (tf + norm[rows])
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n_rows))
        norms[norms == 0] = 1.0
        return weights / norms[rows]

    def _score_chunk(self, samples: Sequence[RagSample]) -> dict[str, np.ndarray]:
        n = len(samples)
        analyser = self.statistics._analyser
        buckets = analyser.buckets
        # Units are the texts tokenised: per sample the user input, the sentences of each
        # context, the sentences of the output, then the target. Documents group them: the user
        # input, each context, the output (the target is no document).
        texts: list[str] = []
        unit_document: list[int] = []
        question = np.empty(n, dtype=np.int64)
        context_document_start = np.empty(n, dtype=np.int64)
        context_count = np.empty(n, dtype=np.int64)
        output_document = np.empty(n, dtype=np.int64)
        context_unit_start = np.empty(n, dtype=np.int64)
        output_unit_start = np.empty(n, dtype=np.int64)
        output_unit_stop = np.empty(n, dtype=np.int64)
        target_unit = np.empty(n, dtype=np.int64)
        has_target = np.empty(n, dtype=np.bool_)
        characters = np.empty(n, dtype=np.int32)
        refusal = np.empty(n, dtype=np.bool_)
        document = 0
        for i, sample in enumerate(samples):
            question[i] = document
            texts.append(sample.user_input)
            unit_document.append(document)
            document += 1
            context_unit_start[i] = len(texts)
            context_document_start[i] = document
            context_count[i] = len(sample.contexts)
            for context in sample.contexts:
                sentences = split_sentences(context)
                texts.extend(sentences)
                unit_document.extend([document] * len(sentences))
                document += 1
            output_unit_start[i] = len(texts)
            output_document[i] = document
            sentences = split_sentences(sample.output)
            texts.extend(sentences)
            unit_document.extend([document] * len(sentences))
            document += 1
            output_unit_stop[i] = len(texts)
            target_unit[i] = len(texts)
            has_target[i] = sample.target is not None
            texts.append(sample.target or "")
            unit_document.append(-1)
            characters[i] = len(sample.output)
            refusal[i] = is_refusal(sample.output)
        n_units = len(texts)

        encoded = _encode(texts)
        codes = analyser.codes(encoded.vocabulary)
        token_bucket = codes[encoded.ids]
        token_unit = np.repeat(np.arange(n_units, dtype=np.int64), encoded.lengths)
        content = token_bucket >= 0
        content_unit = token_unit[content]
        content_bucket = token_bucket[content]

        # Relevance: BM25 vectors of the documents.
        unit_documents = np.asarray(unit_document, dtype=np.int64)
        content_document = unit_documents[content_unit]
        in_document = content_document >= 0
        d_indptr, d_keys, d_counts = _group_terms(
            content_document[in_document], content_bucket[in_document], document, buckets
        )
        d_weights = self._bm25(d_indptr, d_keys, d_counts)
        context_relevance, best_context_relevance, answer_relevance = _relevance_kernel(
            d_indptr, d_keys, d_weights, question, context_document_start, context_count,
            output_document,
        )

        # Groundedness: BM25 vectors, distinct terms and distinct term pairs of the sentences.
        s_indptr, s_keys, s_counts = _group_terms(content_unit, content_bucket, n_units, buckets)
        s_weights = self._bm25(s_indptr, s_keys, s_counts)
        pair = content_unit[1:] == content_unit[:-1]
        bigram_keys = content_bucket[:-1][pair] * buckets + content_bucket[1:][pair]
        b_indptr, b_keys, _ = _group_terms(
            content_unit[:-1][pair], bigram_keys, n_units, buckets * buckets
        )
        groundedness, supported, judged = _groundedness_kernel(
            s_indptr, s_keys, s_counts, s_weights, b_indptr, b_keys, unit_documents,
            output_unit_start, output_unit_stop, context_unit_start, output_unit_start,
            context_count > 0, self.coverage_threshold, self.support_threshold,
        )  # fmt: skip

        # Answer against target: SQuAD-normalised token ids, articles dropped.
        offsets = np.zeros(n_units + 1, dtype=np.int64)
        np.cumsum(encoded.lengths, out=offsets[1:])
        output_tokens = (offsets[output_unit_stop] - offsets[output_unit_start]).astype(np.int32)
        article = np.fromiter(
            map(analyser.articles.__contains__, encoded.vocabulary), dtype=np.bool_,
            count=len(encoded.vocabulary),
        )
        keep = ~article[encoded.ids]
        kept_before = np.zeros(keep.size + 1, dtype=np.int64)
        np.cumsum(keep, out=kept_before[1:])
        correctness, rouge_l = _answer_kernel(
            encoded.ids[keep],
            kept_before[offsets[output_unit_start]], kept_before[offsets[output_unit_stop]],
            kept_before[offsets[target_unit]], kept_before[offsets[target_unit + 1]],
            has_target,
        )

        return {
            "context_relevance": context_relevance,
            "best_context_relevance": best_context_relevance,
            "answer_relevance": answer_relevance,
            "groundedness": groundedness,
            "supported_sentences": supported,
            "output_sentences": judged,
            "answer_correctness": correctness,
            "answer_rouge_l": rouge_l,
            "output_tokens": output_tokens,
            "output_characters": characters,
            "refusal": refusal,
        }


# ---------------------------------------------------------------------------------------------
# The summary
# ---------------------------------------------------------------------------------------------

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)

_SCORE_BINS = 1000  # bins of 0.001 on [0, 1]: quantiles exact to half a bin
_PLOT_BINS = 20
_EXACT_LENGTHS = 1024  # lengths below this have a bin each; above, bins grow by 1%
_LENGTH_GROWTH = 1.01
_LENGTH_BINS = _EXACT_LENGTHS + 1 + int(
    math.log((1 << 31) / _EXACT_LENGTHS) / math.log(_LENGTH_GROWTH)
)


@dataclass(frozen=True)
class MetricSummary:
    """One metric over the samples: the moments, quantiles and a coarse histogram for plots."""

    name: str
    count: int  # samples with a value (NaN skipped)
    mean: float
    minimum: float
    maximum: float
    quantiles: dict[float, float]  # 0.1, 0.25, 0.5, 0.75, 0.9
    share_below_threshold: float  # score metrics; the refusal rate for refusal; NaN for lengths
    histogram_edges: tuple[float, ...]
    histogram_counts: tuple[int, ...]


def _metric_kind(name: str) -> str:
    if name in SCORE_METRICS:
        return "score"
    if name == "refusal":
        return "flag"
    return "length"


def _bin_values(kind: str) -> np.ndarray:
    """The value each fine bin stands for (its centre; the integer itself for exact lengths)."""
    if kind == "score":
        return (np.arange(_SCORE_BINS) + 0.5) / _SCORE_BINS
    if kind == "flag":
        return np.array([0.0, 1.0])
    values = np.arange(_LENGTH_BINS, dtype=np.float64)
    k = values[_EXACT_LENGTHS:] - _EXACT_LENGTHS
    # geometric centre of [1024 * g**k, 1024 * g**(k+1))
    values[_EXACT_LENGTHS:] = _EXACT_LENGTHS * _LENGTH_GROWTH ** (k + 0.5)
    return values


def _bins_of(kind: str, values: np.ndarray) -> np.ndarray:
    if kind == "score":
        return np.clip((values * _SCORE_BINS).astype(np.int64), 0, _SCORE_BINS - 1)
    if kind == "flag":
        return (values > 0.5).astype(np.int64)
    values = np.maximum(values, 0.0)
    bins = values.astype(np.int64)
    large = values >= _EXACT_LENGTHS
    if large.any():
        steps = np.log(values[large] / _EXACT_LENGTHS) / math.log(_LENGTH_GROWTH)
        bins[large] = _EXACT_LENGTHS + steps.astype(np.int64)
    return np.minimum(bins, _LENGTH_BINS - 1)


class _MetricAccumulator:
    """Count, sum, extremes, count below the threshold and fine histogram of one metric."""

    def __init__(self, name: str, kind: str | None = None) -> None:
        self.name = name
        self.kind = kind or _metric_kind(name)
        size = {"score": _SCORE_BINS, "flag": 2, "length": _LENGTH_BINS}[self.kind]
        self.counts = np.zeros(size, dtype=np.int64)
        self.count = 0
        self.total = 0.0
        self.minimum = math.inf
        self.maximum = -math.inf
        self.below = 0

    def add(self, values: np.ndarray, threshold: float) -> None:
        values = np.asarray(values, dtype=np.float64).ravel()
        values = values[~np.isnan(values)]
        if values.size == 0:
            return
        self.counts += np.bincount(_bins_of(self.kind, values), minlength=self.counts.size)
        self.count += int(values.size)
        self.total += float(values.sum())
        self.minimum = min(self.minimum, float(values.min()))
        self.maximum = max(self.maximum, float(values.max()))
        self.below += int(np.count_nonzero(values < threshold))

    def merge(self, other: _MetricAccumulator) -> None:
        self.counts += other.counts
        self.count += other.count
        self.total += other.total
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        self.below += other.below

    def _order_statistic(self, cumulative: np.ndarray, values: np.ndarray, rank: int) -> float:
        """The value of the rank-th smallest sample (0-based), to the bin's precision."""
        if rank == 0:
            return self.minimum
        if rank == self.count - 1:
            return self.maximum
        value = float(values[np.searchsorted(cumulative, rank, side="right")])
        return min(max(value, self.minimum), self.maximum)

    def quantile(self, q: float) -> float:
        """numpy.quantile's default (linear) rule, applied to the binned order statistics."""
        if self.count == 0:
            return math.nan
        cumulative = np.cumsum(self.counts)
        values = _bin_values(self.kind)
        position = (self.count - 1) * q
        rank = int(math.floor(position))
        fraction = position - rank
        low = self._order_statistic(cumulative, values, rank)
        if fraction == 0.0:
            return low
        high = self._order_statistic(cumulative, values, rank + 1)
        return low + fraction * (high - low)

    def _plot_histogram(self) -> tuple[tuple[float, ...], tuple[int, ...]]:
        if self.kind == "score":
            edges = np.linspace(0.0, 1.0, _PLOT_BINS + 1)
            counts = self.counts.reshape(_PLOT_BINS, -1).sum(axis=1)
            return tuple(float(e) for e in edges), tuple(int(c) for c in counts)
        if self.kind == "flag":
            return (0.0, 0.5, 1.0), (int(self.counts[0]), int(self.counts[1]))
        if self.count == 0:
            return (), ()
        low, high = math.floor(self.minimum), math.floor(self.maximum) + 1
        if high - low <= _PLOT_BINS:
            edges = np.arange(low, high + 1, dtype=np.float64)  # one bin per integer
        else:
            edges = np.linspace(low, high, _PLOT_BINS + 1)
        counts, _ = np.histogram(
            np.clip(_bin_values(self.kind), low, high), bins=edges, weights=self.counts
        )
        return tuple(float(e) for e in edges), tuple(int(round(c)) for c in counts)

    def summary(self, threshold: float) -> MetricSummary:
        empty = self.count == 0
        if self.kind == "score":
            share = math.nan if empty else self.below / self.count
        elif self.kind == "flag":
            share = math.nan if empty else self.total / self.count
        else:
            share = math.nan
        edges, counts = self._plot_histogram()
        return MetricSummary(
            name=self.name,
            count=self.count,
            mean=math.nan if empty else self.total / self.count,
            minimum=math.nan if empty else self.minimum,
            maximum=math.nan if empty else self.maximum,
            quantiles={q: self.quantile(q) for q in QUANTILES},
            share_below_threshold=share,
            histogram_edges=edges,
            histogram_counts=counts,
        )

    def to_dict(self) -> dict:
        empty = self.count == 0
        return {
            "count": self.count,
            "total": self.total,
            "minimum": None if empty else self.minimum,
            "maximum": None if empty else self.maximum,
            "below": self.below,
            # Raw little-endian int64 counts: the same size whatever the counts, unlike a list.
            "counts": base64.b64encode(self.counts.astype("<i8").tobytes()).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, name: str, data: Mapping, kind: str | None = None) -> _MetricAccumulator:
        accumulator = cls(name, kind)
        counts = np.frombuffer(base64.b64decode(data["counts"]), dtype="<i8")
        if counts.size != accumulator.counts.size:
            raise ValueError(f"metric {name!r}: {counts.size} bins, expected "
                             f"{accumulator.counts.size}")
        accumulator.counts = counts.astype(np.int64)
        accumulator.count = int(data["count"])
        accumulator.total = float(data["total"])
        if accumulator.count:
            accumulator.minimum = float(data["minimum"])
            accumulator.maximum = float(data["maximum"])
        accumulator.below = int(data["below"])
        return accumulator


class RagSummary:
    """The aggregated scores, bounded in memory whatever the number of samples.

    Scores in [0, 1] go into 1000 bins of 0.001, so their quantiles are within 0.0005 of
    ``numpy.quantile`` (same linear rule, order statistics known to their bin's centre, the
    extremes exactly); counts go into one bin per integer below 1024 and bins 1% wide above.
    Count, sum, extremes and the count below ``threshold`` are kept exactly. Summaries of
    batches merge into the summary of all of them.
    """

    _VERSION = 1

    def __init__(self, threshold: float = 0.5, scores: Sequence[str] | None = None) -> None:
        """``scores``: other metrics to summarise instead of the scorer's, all scores in [0, 1]
        (an LLM judge's)."""
        self.threshold = float(threshold)
        self._metrics = ({name: _MetricAccumulator(name) for name in SUMMARY_METRICS}
                         if scores is None else
                         {name: _MetricAccumulator(name, "score") for name in scores})

    def add(self, scores: Mapping[str, np.ndarray]) -> None:
        """Fold in the scores of a batch, as ``RagScorer.score`` returns them."""
        missing = [name for name in self._metrics if name not in scores]
        if missing:
            raise KeyError(f"scores lack the metrics {missing}")
        for name, accumulator in self._metrics.items():
            accumulator.add(scores[name], self.threshold)

    def merge(self, other: RagSummary) -> None:
        """Fold in another summary, as if its batches had been added to this one."""
        if other.threshold != self.threshold:
            raise ValueError("summaries with different thresholds do not merge")
        for name, accumulator in self._metrics.items():
            accumulator.merge(other._metrics[name])

    @property
    def count(self) -> int:
        """Samples added (every sample has an output, so its length counts each one)."""
        return max((accumulator.count for accumulator in self._metrics.values()), default=0)

    def metrics(self) -> list[MetricSummary]:
        """The summary of each metric: the score metrics, refusal, then the counts."""
        return [accumulator.summary(self.threshold) for accumulator in self._metrics.values()]

    def to_dict(self) -> dict:
        """A JSON-able form, to persist partial progress; ``from_dict`` reads it back."""
        return {
            "version": self._VERSION,
            "threshold": self.threshold,
            "kinds": {name: a.kind for name, a in self._metrics.items()},
            "metrics": {name: a.to_dict() for name, a in self._metrics.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> RagSummary:
        if data.get("version") != cls._VERSION:
            raise ValueError(f"unknown RAG summary version {data.get('version')!r}")
        kinds = data.get("kinds") or {name: _metric_kind(name) for name in SUMMARY_METRICS}
        summary = cls(float(data["threshold"]))
        summary._metrics = {name: _MetricAccumulator.from_dict(name, data["metrics"][name],
                                                               kinds[name]) for name in kinds}
        return summary
