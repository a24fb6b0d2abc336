"""Topic modelling of a text task's inputs: the topics found, each sample's topic, shares over time.

The report is computed in two streamed passes so that a million samples fit in bounded memory:

1. every batch of input texts feeds a :class:`TextReservoir`, a uniform sample of at most
   ``capacity`` texts;
2. :func:`fit_topics` fits TF-IDF and NMF (scikit-learn) on the reservoir and chooses the number
   of topics by coherence;
3. every batch is read again, :meth:`TopicModel.assign` gives each sample its topic and
   :class:`TopicShares` counts the samples per topic and time bucket.

Only the reservoir (a bounded list of texts), the model (terms x topics) and the share counts
(topics x buckets) are ever held; nothing here knows of storage, jobs or gRPC.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from driftline_server.monitoring.vocabulary import REPORT_LANGUAGES

LANGUAGES = tuple(REPORT_LANGUAGES.values())

# Runs of two or more Unicode letters: digits, underscores and punctuation split tokens, so
# "dell'acqua" gives "dell" and "acqua" (the elided article is a stop word) and "covid19" gives
# "covid". One-letter tokens carry no topic in either language.
_TOKEN_PATTERN = r"[^\W\d_]{2,}"

# Contraction stems the token pattern leaves behind ("don't" -> "don") that scikit-learn's
# English list lacks.
_ENGLISH_EXTRA = frozenset(
    "aren couldn didn doesn don hadn hasn haven isn ll mustn needn shan shouldn ve wasn weren "
    "won wouldn im ive youre theyre thats lets".split()
)
_ENGLISH_STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | _ENGLISH_EXTRA

# Snowball's Italian list (articles, prepositions and their contractions, pronouns, the forms of
# avere, essere, fare and stare), plus elided forms the token pattern leaves ("quest'anno" ->
# "quest"), common adverbs and conjunctions, and accent-less spellings people type ("perche").
_ITALIAN_STOP_WORDS = frozenset(
    """
    ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl dalla dalle
    di del dello dei degli dell degl della delle in nel nello nei negli nell negl nella nelle su
    sul sullo sui sugli sull sugl sulla sulle per tra fra contro io tu lui lei noi voi loro mio
    mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra
    vostri vostre mi ti ci vi lo la li le gli ne il un uno una ma ed se perché perche anche come
    dov dove che chi cui non più piu quale quali quanto quanti quanta quante quello quelli quella
    quelle questo questi questa queste quest quell si tutto tutti tutta tutte tutt ho hai ha
    abbiamo avete hanno abbia abbiate abbiano avrò avrai avrà avremo avrete avranno avrei avresti
    avrebbe avremmo avreste avrebbero avevo avevi aveva avevamo avevate avevano ebbi avesti ebbe
    avemmo aveste ebbero avessi avesse avessimo avessero avendo avuto avuta avuti avute sono sei
    siamo siete sia siate siano sarò sarai sarà saremo sarete saranno sarei saresti sarebbe
    saremmo sareste sarebbero ero eri era eravamo eravate erano fui fosti fu fummo foste furono
    fossi fosse fossimo fossero essendo faccio fai facciamo fanno faccia facciate facciano farò
    farai farà faremo farete faranno farei faresti farebbe faremmo fareste farebbero facevo
    facevi faceva facevamo facevate facevano feci facesti fece facemmo faceste fecero facessi
    facesse facessimo facessero facendo sto stai sta stiamo stanno stia stiate stiano starò
    starai starà staremo starete staranno starei staresti starebbe staremmo stareste starebbero
    stavo stavi stava stavamo stavate stavano stetti stesti stette stemmo steste stettero stessi
    stesse stessimo stessero stando essere avere fare stare stato stata stati state fatto fatta
    me te sé se né ne però pero poi già gia così cosi molto molta molti molte poco poca pochi
    poche ogni altro altra altri altre ancora sempre mai solo anzi invece quindi dunque perciò
    infatti comunque oppure mentre quando qui qua là lì dopo prima senza verso sopra sotto
    dentro fuori tanto tanta tanti tante cosa cose niente nulla nessuno nessuna alcuni alcune
    qualche qualcosa qualcuno può puo possono posso puoi potrebbe deve devo devono vorrei ecco
    sì si no po ciò cio
    """.split()
)

_STOP_WORDS = {
    "english": _ENGLISH_STOP_WORDS,
    "italian": _ITALIAN_STOP_WORDS,
    "multilanguage": _ENGLISH_STOP_WORDS | _ITALIAN_STOP_WORDS,
}

# TF-IDF bounds. A term must appear in two texts to be a pattern rather than a typo; a term in
# more than 70% of the texts says nothing about which topic a text is in (with two topics of
# equal size a topic's own terms sit near 50%, below the cut). The vocabulary cap bounds the
# model at topics x 20,000 weights whatever the reservoir holds.
_MIN_DF = 2
_MAX_DF = 0.7
_MAX_TERMS = 20_000

_TOP_TERMS = 10  # terms kept per topic, and the terms its coherence is measured on
_LABEL_TERMS = 3
_LABEL_SEPARATOR = " · "

# Data bounds on the number of topics: each topic should explain at least this many texts and
# own at least this many distinct terms, or it is noise fitted to a handful of samples.
_TEXTS_PER_TOPIC = 5
_TERMS_PER_TOPIC = 3

# NMF: "nndsvda" starts from an SVD, deterministic and far closer to the optimum than a random
# start, so 300 coordinate-descent iterations are plenty; unconverged fits are still usable
# and the choice of k is made on their coherence anyway, so the warning is silenced.
_NMF_MAX_ITER = 300
_NMF_TOL = 1e-4

# Assignment solves each text's topic weights against the fitted topics with a fixed number of
# coordinate-descent sweeps and no tolerance test: rows are then solved independently, so a
# sample's topic does not depend on which batch it arrives in.
_ASSIGN_SWEEPS = 40

# Each topic's coherence is lowered by this much of its top-term overlap (Jaccard) with its most
# similar other topic: splitting one theme into two near-duplicate topics keeps NPMI high, and
# the overlap is what gives it away.
_OVERLAP_PENALTY = 0.5

# Top-term coherence cannot see a theme that k is too small to hold: NMF leaves it out, the
# topics shown stay coherent, and the theme's texts are assigned to a topic none of whose top
# terms they contain. The share of such unexplained texts is subtracted from the score.
_UNEXPLAINED_PENALTY = 0.5

# The smallest k scoring within this of the best wins: an extra topic must earn its place, and
# differences this small between neighbouring k are noise of the fit, not structure.
_PARSIMONY = 0.02


class TextReservoir:
    """A uniform, deterministic reservoir of at most ``capacity`` texts, fed batch by batch.

    Algorithm R (Vitter): the i-th text (0-based) replaces slot ``j`` when ``j < capacity``, with
    ``j`` uniform in ``[0, i]``, so after any number of texts each one seen is kept with the same
    probability ``capacity / seen``. ``j`` is drawn as ``floor(u * (i + 1))`` from one float per
    text of a seeded NumPy Generator, so the texts kept depend only on the seed and the order of
    the texts, never on how they were cut into batches.
    """

    def __init__(self, capacity: int = 20_000, seed: int = 0) -> None:
        if capacity < 1:
            raise ValueError(f"reservoir capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self.seen = 0
        self.texts: list[str] = []
        self._rng = np.random.default_rng(seed)

    def add(self, texts: Sequence[str]) -> None:
        """Offer a batch of texts, in stream order."""
        texts = list(texts)
        filling = min(len(texts), self.capacity - len(self.texts))
        # The draw for a text that fills a free slot is taken and discarded, so the generator's
        # position always equals the number of texts seen, whatever the batch boundaries.
        uniforms = self._rng.random(len(texts))
        self.texts.extend(texts[:filling])
        if filling < len(texts):
            positions = np.arange(self.seen + filling, self.seen + len(texts), dtype=np.float64)
            slots = np.floor(uniforms[filling:] * (positions + 1.0)).astype(np.int64)
            for offset in np.flatnonzero(slots < self.capacity):
                self.texts[slots[offset]] = texts[filling + offset]
        self.seen += len(texts)


@dataclass(frozen=True)
class Topic:
    """One topic: its most weighted terms and a label made of the first few."""

    topic_id: int
    label: str
    terms: tuple[tuple[str, float], ...]  # top terms and weights, summing to 1 within the topic


@dataclass(frozen=True)
class TopicModel:
    """The topics fitted on a reservoir, and how they were chosen; assigns texts to topics."""

    topics: tuple[Topic, ...]
    coherence: float
    candidates: tuple[tuple[int, float], ...]
    language: str
    _vectorizer: TfidfVectorizer = field(repr=False, compare=False)
    _components: np.ndarray = field(repr=False, compare=False)  # topics x terms, float32

    def assign(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(topic_id int32, confidence float32) per text.

        The confidence is the topic's part of the text's total topic weight. A text with no term
        of the model's vocabulary (or no text at all, None) gets topic -1 with confidence 0.
        """
        if len(texts) == 0:
            return np.empty(0, np.int32), np.empty(0, np.float32)
        matrix = self._vectorizer.transform(_present(texts))
        weights = _topic_weights(matrix, self._components)
        totals = weights.sum(axis=1)
        topic_ids = weights.argmax(axis=1).astype(np.int32)
        confidence = np.zeros(len(texts), np.float32)
        known = totals > 0
        confidence[known] = weights[known, topic_ids[known]] / totals[known]
        topic_ids[~known] = -1
        return topic_ids, confidence


def fit_topics(
    texts: Sequence[str],
    language: str,
    *,
    min_topics: int = 2,
    max_topics: int = 10,
    seed: int = 0,
) -> TopicModel:
    """Fit the topics of ``texts`` (the reservoir) with TF-IDF and NMF, choosing k by coherence.

    Every k in ``[min_topics, max_topics]`` that the data allows (at least 5 texts and 3 terms
    per topic) is fitted with NMF. Its score starts from each topic's coherence: the mean NPMI
    (normalised pointwise mutual information of document co-occurrence in ``texts``) over pairs
    of the topic's top 10 terms, less half the Jaccard overlap of those terms with the nearest
    other topic's. That is averaged per topic and per text held, the lower kept, and half the
    share of texts holding none of their topic's top terms is subtracted. The smallest k within
    0.02 of the best score wins. Topics are numbered by the texts they hold, largest first.

    Raises ValueError, saying what is wrong and how to fix it, when the language is unknown, the
    bounds are inconsistent, or there are too few texts or terms to find two topics.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
    if min_topics < 2 or max_topics < min_topics:
        raise ValueError(
            f"topic bounds must satisfy 2 <= min_topics <= max_topics, got min_topics="
            f"{min_topics}, max_topics={max_topics}"
        )
    matrix, vectorizer = _vectorize(texts, language)
    documents = int((matrix.getnnz(axis=1) > 0).sum())
    term_count = matrix.shape[1]
    data_bound = min(documents // _TEXTS_PER_TOPIC, term_count // _TERMS_PER_TOPIC)
    if data_bound < 2:
        raise ValueError(
            f"too few texts to find two topics: {documents} of the {len(texts)} texts hold "
            f"{term_count} distinct terms that appear in at least {_MIN_DF} texts once {language} stop "
            f"words are removed; two topics need at least {2 * _TEXTS_PER_TOPIC} such texts and "
            f"{2 * _TERMS_PER_TOPIC} terms. Widen the time range or send more samples, or check "
            f"that the task's language ({language}) is the language of its texts"
        )
    upper = min(max_topics, data_bound)
    lower = min(min_topics, upper)

    occurrence = (matrix > 0).astype(np.float32).tocsc()
    vocabulary = vectorizer.get_feature_names_out()
    fits = {}
    candidates = []
    for k in range(lower, upper + 1):
        weights, components = _fit_nmf(matrix, k, seed)
        tops = [_top_terms(row, vocabulary) for row in components]
        terms = [[term for term, _ in top] for top in tops]
        held = _held(weights)
        score = _coherence(terms, occurrence, held) - _UNEXPLAINED_PENALTY * _unexplained(
            terms, weights, occurrence
        )
        candidates.append((k, score))
        fits[k] = (weights, components, tops)
    top_score = max(score for _, score in candidates)
    k, score = next(
        (k, score) for k, score in candidates if score >= top_score - _PARSIMONY
    )
    weights, components, tops = fits[k]

    # Largest topic first; the stable sort keeps NMF's order on ties, so numbering is repeatable.
    order = np.argsort(-_held(weights), kind="stable")
    components = components[order]
    topics = tuple(
        _topic(topic_id, tops[index], vocabulary) for topic_id, index in enumerate(order)
    )
    return TopicModel(
        topics=topics,
        coherence=score,
        candidates=tuple(candidates),
        language=language,
        _vectorizer=vectorizer,
        _components=np.ascontiguousarray(components, dtype=np.float32),
    )


def _present(texts: Sequence[str | None]) -> list[str]:
    """The texts with a missing input (None, as a null in the task's data reads) made empty."""
    return ["" if text is None else text for text in texts]


def _held(weights: np.ndarray) -> np.ndarray:
    """Texts per topic: each text with any topic weight is held by its heaviest topic."""
    return np.bincount(weights.argmax(axis=1)[weights.sum(axis=1) > 0], minlength=weights.shape[1])


class _Terms:
    """A text's terms: its words that are not stop words, and the pairs of such words that
    stand next to each other in the text. (scikit-learn's own analyzer drops the stop words
    first and pairs what is left, so "refund for a double charge" would give "refund double".)
    A class rather than a closure, so that a fitted model pickles."""

    def __init__(self, language: str):
        self._pattern = re.compile(_TOKEN_PATTERN)
        self._stop_words = _STOP_WORDS[language]

    def __call__(self, text: str) -> list[str]:
        kept = [None if token in self._stop_words else token
                for token in self._pattern.findall(text.lower())]
        terms = [token for token in kept if token]
        terms += [f"{first} {second}" for first, second in zip(kept, kept[1:])
                  if first and second]
        return terms


def _vectorize(texts: Sequence[str], language: str):
    """The reservoir's TF-IDF matrix and the fitted vectorizer (unigrams and bigrams)."""
    vectorizer = TfidfVectorizer(
        analyzer=_Terms(language),
        min_df=_MIN_DF,
        max_df=_MAX_DF,
        max_features=_MAX_TERMS,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(_present(texts))
    except ValueError as error:
        # scikit-learn says "empty vocabulary" or that max_df prunes below min_df: both mean the
        # texts hold too few repeated words.
        raise ValueError(
            f"too few texts to find two topics: {len(texts)} texts hold no term that appears in at "
            f"least {_MIN_DF} of them (and in at most {_MAX_DF:.0%}) once {language} stop words "
            f"are removed ({error}). Widen the time range or send more samples, or check that "
            f"the task's language ({language}) is the language of its texts"
        ) from None
    return matrix, vectorizer


def _fit_nmf(matrix, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(document weights, topic components) of one NMF fit with k topics."""
    nmf = NMF(n_components=k, init="nndsvda", max_iter=_NMF_MAX_ITER, tol=_NMF_TOL,
              random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = nmf.fit_transform(matrix)
    return weights, nmf.components_


def _coherence(terms: list[list[int]], occurrence, held: np.ndarray) -> float:
    """Top-term NPMI less overlap, averaged per topic and per text held, the lower of the two.

    The mean per topic alone lets a tiny, perfectly coherent cluster (a template sent thousands
    of times) make a model whose other topic is a grab-bag look good; the mean per text alone
    lets a few junk topics soak up the texts at the edges of the real ones, making those look
    purer. A good k has coherent topics seen both ways.
    """
    columns = np.unique(np.concatenate([row for row in terms if row] or [[0]]))
    binary = occurrence[:, columns]
    together = (binary.T @ binary).toarray().astype(np.float64) / occurrence.shape[0]
    alone = np.diag(together)
    position = {term: index for index, term in enumerate(columns)}
    sets = [set(row) for row in terms]
    scores = []
    for index, row in enumerate(terms):
        kept = [position[term] for term in row]
        pairs = [
            _npmi(together[i, j], alone[i], alone[j])
            for a, i in enumerate(kept)
            for j in kept[a + 1:]
        ]
        npmi = float(np.mean(pairs)) if pairs else -1.0
        overlap = max(
            (len(sets[index] & other) / len(sets[index] | other)
             for other_index, other in enumerate(sets) if other_index != index and sets[index]),
            default=0.0,
        )
        scores.append(npmi - _OVERLAP_PENALTY * overlap)
    per_text = float(np.average(scores, weights=held)) if held.sum() else -1.0
    return min(float(np.mean(scores)), per_text)


def _unexplained(terms: list[list[int]], weights: np.ndarray, occurrence) -> float:
    """Share of the texts that hold none of the top terms of their own topic (or have none)."""
    with_terms = occurrence.getnnz(axis=1) > 0
    columns = np.unique(np.concatenate([row for row in terms if row] or [[0]]))
    membership = np.zeros((len(terms), len(columns)), np.float32)
    for index, row in enumerate(terms):
        membership[index, np.searchsorted(columns, row)] = 1.0
    hits = np.asarray(occurrence[:, columns] @ membership.T)  # texts x topics: top terms held
    assigned = weights.argmax(axis=1)
    explained = (hits[np.arange(len(assigned)), assigned] > 0) & (weights.sum(axis=1) > 0)
    return float(1.0 - explained[with_terms].mean())


def _npmi(joint: float, first: float, second: float) -> float:
    """Normalised pointwise mutual information of two terms' document occurrence, in [-1, 1]."""
    if joint <= 0.0:
        return -1.0
    if joint >= 1.0:
        return 1.0
    return math.log(joint / (first * second)) / -math.log(joint)


def _top_terms(component: np.ndarray, vocabulary) -> list[tuple[int, float]]:
    """A topic's top terms (vocabulary index, weight), a bigram absorbing its own words.

    "cross", "validation" and "cross validation" would otherwise take three of the ten places
    and the label; the bigram takes the place of the first of its words and the sum of their
    weights, and a term sharing a word with a bigram already kept is skipped. Heaviest first.
    """
    order = np.argsort(-component, kind="stable")[: _TOP_TERMS * 3]
    kept: list[list] = []  # [index, weight, words]
    for term in order:
        weight = float(component[term])
        if weight <= 0.0:
            break
        words = set(str(vocabulary[term]).split())
        if any(len(other[2]) > 1 and words & other[2] for other in kept):
            continue
        if len(words) > 1:
            absorbed = [other for other in kept if other[2] <= words]
            if absorbed:
                first = absorbed[0]
                first[1] += weight + sum(other[1] for other in absorbed[1:])
                first[0], first[2] = term, words
                gone = {id(other) for other in absorbed[1:]}
                kept = [other for other in kept if id(other) not in gone]
                continue
        kept.append([term, weight, words])
        if len(kept) == _TOP_TERMS:
            break
    # An absorbing bigram may now outweigh the terms above it.
    kept.sort(key=lambda other: -other[1])
    return [(int(term), weight) for term, weight, _ in kept]


def _topic(topic_id: int, top: list[tuple[int, float]], vocabulary) -> Topic:
    total = sum(weight for _, weight in top) or 1.0
    terms = tuple((str(vocabulary[term]), weight / total) for term, weight in top)
    label = _LABEL_SEPARATOR.join(term for term, _ in terms[:_LABEL_TERMS])
    return Topic(topic_id=topic_id, label=label, terms=terms)


def _topic_weights(matrix, components: np.ndarray) -> np.ndarray:
    """Non-negative W minimising ||X - W H||, H fixed: fixed coordinate-descent sweeps per row."""
    gram = (components @ components.T).astype(np.float64)  # k x k
    projected = np.asarray(matrix @ components.T, dtype=np.float64)  # n x k
    weights = np.zeros_like(projected)
    diagonal = np.where(np.diag(gram) > 0, np.diag(gram), 1.0)
    for _ in range(_ASSIGN_SWEEPS):
        for t in range(len(gram)):
            gradient = projected[:, t] - weights @ gram[:, t]
            weights[:, t] = np.maximum(0.0, weights[:, t] + gradient / diagonal[t])
    return weights


@dataclass(frozen=True)
class BucketShare:
    """One time bucket of a topic: ``[start, end)`` (the last bucket includes its end)."""

    start: float
    end: float
    count: int
    share: float  # of the bucket's samples, 0 for an empty bucket


@dataclass(frozen=True)
class TopicTrend:
    """A topic's count and share of all samples in range, and its share bucket by bucket."""

    topic_id: int  # -1 for the samples no topic could be assigned to
    count: int
    share: float
    buckets: tuple[BucketShare, ...]


@dataclass(frozen=True)
class ShareTable:
    """What :meth:`TopicShares.shares` returns; shares over topics and unassigned sum to 1."""

    total: int  # samples within the range
    out_of_range: int  # samples whose timestamp fell outside it (or was NaN)
    topics: tuple[TopicTrend, ...]
    unassigned: TopicTrend


class TopicShares:
    """Counts of samples per topic and time bucket, bounded (topics x buckets).

    The range ``[from_timestamp, to_timestamp]`` is cut into ``buckets`` equal buckets; samples
    outside it are counted apart and take no share. Row ``topic_count`` of the counts holds the
    unassigned samples (topic -1).
    """

    def __init__(
        self, topic_count: int, from_timestamp: float, to_timestamp: float, buckets: int = 20
    ) -> None:
        if topic_count < 0:
            raise ValueError(f"topic_count must not be negative, got {topic_count}")
        if buckets < 1:
            raise ValueError(f"buckets must be at least 1, got {buckets}")
        if not to_timestamp > from_timestamp:
            raise ValueError(
                f"the range must end after it starts, got from_timestamp={from_timestamp}, "
                f"to_timestamp={to_timestamp}"
            )
        self.topic_count = topic_count
        self.from_timestamp = float(from_timestamp)
        self.to_timestamp = float(to_timestamp)
        self.buckets = buckets
        self.counts = np.zeros((topic_count + 1, buckets), np.int64)
        self.out_of_range = 0

    def add(self, topic_ids: np.ndarray, timestamps: np.ndarray) -> None:
        """Count one batch: each sample's topic (-1 unassigned) and timestamp in seconds."""
        topic_ids = np.asarray(topic_ids, dtype=np.int64)
        timestamps = np.asarray(timestamps, dtype=np.float64)
        if topic_ids.shape != timestamps.shape or topic_ids.ndim != 1:
            raise ValueError(
                f"topic_ids and timestamps must be 1-D arrays of one length, got shapes "
                f"{topic_ids.shape} and {timestamps.shape}"
            )
        if topic_ids.size and (topic_ids.min() < -1 or topic_ids.max() >= self.topic_count):
            raise ValueError(
                f"topic ids must lie in [-1, {self.topic_count - 1}], got "
                f"{topic_ids.min()}..{topic_ids.max()}"
            )
        inside = (timestamps >= self.from_timestamp) & (timestamps <= self.to_timestamp)
        self.out_of_range += int((~inside).sum())
        width = (self.to_timestamp - self.from_timestamp) / self.buckets
        bucket = np.minimum(
            ((timestamps[inside] - self.from_timestamp) / width).astype(np.int64), self.buckets - 1
        )
        rows = np.where(topic_ids[inside] < 0, self.topic_count, topic_ids[inside])
        np.add.at(self.counts, (rows, bucket), 1)

    def shares(self) -> ShareTable:
        """Per topic (and unassigned): overall share of samples and share per bucket."""
        edges = np.linspace(self.from_timestamp, self.to_timestamp, self.buckets + 1)
        per_bucket = self.counts.sum(axis=0)
        total = int(per_bucket.sum())

        def trend(row: int, topic_id: int) -> TopicTrend:
            counts = self.counts[row]
            return TopicTrend(
                topic_id=topic_id,
                count=int(counts.sum()),
                share=float(counts.sum()) / total if total else 0.0,
                buckets=tuple(
                    BucketShare(
                        start=float(edges[b]),
                        end=float(edges[b + 1]),
                        count=int(counts[b]),
                        share=float(counts[b]) / float(per_bucket[b]) if per_bucket[b] else 0.0,
                    )
                    for b in range(self.buckets)
                ),
            )

        return ShareTable(
            total=total,
            out_of_range=self.out_of_range,
            topics=tuple(trend(row, row) for row in range(self.topic_count)),
            unassigned=trend(self.topic_count, -1),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able state, to persist partial progress of a job."""
        return {
            "topic_count": self.topic_count,
            "from_timestamp": self.from_timestamp,
            "to_timestamp": self.to_timestamp,
            "buckets": self.buckets,
            "counts": self.counts.tolist(),
            "out_of_range": self.out_of_range,
        }

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> TopicShares:
        """The counts :meth:`to_dict` saved."""
        shares = cls(
            int(state["topic_count"]),
            float(state["from_timestamp"]),
            float(state["to_timestamp"]),
            int(state["buckets"]),
        )
        counts = np.asarray(state["counts"], dtype=np.int64)
        if counts.shape != shares.counts.shape:
            raise ValueError(
                f"saved counts have shape {counts.shape}, expected {shares.counts.shape} "
                f"(topic_count + 1 rows, one column per bucket)"
            )
        shares.counts = counts
        shares.out_of_range = int(state["out_of_range"])
        return shares
