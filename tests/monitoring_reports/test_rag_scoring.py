"""The local RAG scorer and its summary, checked against independent computations.

Like SciPy's tests: the scores are recomputed here by plain Python (dictionaries, the textbook
dynamic program, Counter-based F1), properties are checked on random inputs with hypothesis,
and the scores are checked to move in the right direction between good and bad answers.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import zlib
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftline_server.monitoring.reports import rag
from driftline_server.monitoring.reports.rag import (
    LANGUAGES,
    METRIC_DESCRIPTIONS,
    SCORE_METRICS,
    MetricSummary,
    RagScorer,
    RagSummary,
    TermStatistics,
    is_refusal,
    split_sentences,
)
from driftline_server.monitoring.reports.samples import RagSample

EIFFEL = (
    "The Eiffel Tower is a wrought-iron lattice tower in Paris, France. It was completed in "
    "1889 as the entrance arch for the World's Fair. The tower is 330 metres tall and was the "
    "tallest structure in the world for 41 years."
)
BANANAS = (
    "Bananas are elongated, edible fruits produced by herbaceous flowering plants. They grow in "
    "tropical climates and are rich in potassium."
)
QUESTION = "When was the Eiffel Tower in Paris completed?"

BACKGROUND = [
    RagSample(f"b{i}", question, (context,), answer)
    for i, (question, context, answer) in enumerate(
        [
            ("What do koalas eat?", "Koalas feed on eucalyptus leaves almost exclusively.",
             "Koalas eat eucalyptus leaves."),
            ("How tall is Mount Everest?", "Mount Everest is 8849 metres above sea level.",
             "It is 8849 metres tall."),
            ("Who wrote Hamlet?", "Hamlet is a tragedy written by William Shakespeare.",
             "William Shakespeare wrote Hamlet."),
            ("What is the boiling point of water?", "Water boils at 100 degrees Celsius at sea "
             "level.", "Water boils at 100 degrees Celsius."),
        ]
    )
]


def scorer_for(samples, language="english", **options) -> RagScorer:
    statistics = TermStatistics(language)
    statistics.add(list(samples) + BACKGROUND)
    return RagScorer(statistics, **options)


def score_all(samples, language="english", **options) -> dict[str, np.ndarray]:
    return scorer_for(samples, language, **options).score(samples)


# ---------------------------------------------------------------------------------------------
# The shape of the scores
# ---------------------------------------------------------------------------------------------


def test_scores_have_the_documented_keys_dtypes_and_lengths():
    samples = [
        RagSample("1", QUESTION, (EIFFEL, BANANAS), "It was completed in 1889.", "In 1889."),
        RagSample("2", "What are bananas rich in?", (BANANAS,), "Potassium.", None),
        RagSample("3", "Hello?", (), "", None),
    ]
    scores = score_all(samples)
    assert list(scores) == [
        "context_relevance", "best_context_relevance", "answer_relevance", "groundedness",
        "supported_sentences", "output_sentences", "answer_correctness", "answer_rouge_l",
        "output_tokens", "output_characters", "refusal",
    ]  # fmt: skip
    expected = {name: np.float64 for name in SCORE_METRICS}
    expected.update(dict.fromkeys(
        ["supported_sentences", "output_sentences", "output_tokens", "output_characters"],
        np.int32,
    ))
    expected["refusal"] = np.bool_
    for name, values in scores.items():
        assert values.shape == (3,), name
        assert values.dtype == expected[name], name
    assert set(METRIC_DESCRIPTIONS) == set(scores)
    assert all(METRIC_DESCRIPTIONS.values())


def test_empty_batch_gives_empty_arrays():
    scores = scorer_for([]).score([])
    assert all(values.shape == (0,) for values in scores.values())


def test_unknown_language_is_refused():
    assert LANGUAGES == ("english", "italian", "multilanguage")
    with pytest.raises(ValueError, match="language"):
        TermStatistics("klingon")


# ---------------------------------------------------------------------------------------------
# Relevance: direction and an independent BM25 coverage
# ---------------------------------------------------------------------------------------------


def test_on_topic_context_is_more_relevant_than_an_off_topic_one():
    on_topic = RagSample("on", QUESTION, (EIFFEL,), "In 1889.")
    off_topic = RagSample("off", QUESTION, (BANANAS,), "In 1889.")
    mixed = RagSample("mixed", QUESTION, (BANANAS, EIFFEL), "In 1889.")
    scores = score_all([on_topic, off_topic, mixed])
    relevance = scores["context_relevance"]
    assert relevance[0] > 0.2
    assert relevance[1] == 0.0  # not one content word in common
    assert relevance[0] > relevance[2] > relevance[1]  # the mean over the contexts
    assert scores["best_context_relevance"][2] == pytest.approx(relevance[0])
    assert scores["best_context_relevance"][2] == pytest.approx(2 * relevance[2])


def test_relevant_answer_scores_higher_answer_relevance():
    samples = [
        RagSample("1", QUESTION, (EIFFEL,), "The Eiffel Tower in Paris was completed in 1889."),
        RagSample("2", QUESTION, (EIFFEL,), "Bananas grow in tropical climates."),
    ]
    relevance = score_all(samples)["answer_relevance"]
    assert relevance[0] > 0.5 > relevance[1]
    assert relevance[1] == 0.0


def _bm25_coverage(statistics: TermStatistics, first: str, second: str, k1=1.2, b=0.75) -> float:
    """The share of ``first``'s BM25 weight on terms ``second`` holds, from the formulas, with
    dictionaries (only the term hashing shared)."""
    analyser = statistics._analyser
    n = statistics.documents
    df = statistics.document_frequencies
    average = statistics.total_length / statistics.documents

    def vector(text):
        terms = [analyser._code(t) for t in re.findall(r"\d+(?:[.,]\d+)+|[^\W_]+", text.lower())]
        tf = Counter(t for t in terms if t >= 0)
        length = sum(tf.values())
        return {
            t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            * f * (k1 + 1) / (f + k1 * (1 - b + b * length / average))
            for t, f in tf.items()
        }

    u, v = vector(first), vector(second)
    total = sum(u.values())
    return sum(w for t, w in u.items() if t in v) / total if total else 0.0


@pytest.mark.parametrize("k1, b", [(1.2, 0.75), (2.0, 0.3), (0.5, 1.0)])
def test_relevance_matches_an_independent_bm25_coverage(k1, b):
    samples = [
        RagSample("1", QUESTION, (EIFFEL, BANANAS, "Paris is the capital of France."),
                  "The tower in Paris was completed in 1889; it is 330 metres tall."),
        RagSample("2", "Which fruits are rich in potassium?", (BANANAS, EIFFEL),
                  "Bananas, bananas and more bananas are rich in potassium."),
    ]
    scorer = scorer_for(samples, k1=k1, b=b)
    scores = scorer.score(samples)
    for i, sample in enumerate(samples):
        per_context = [_bm25_coverage(scorer.statistics, sample.user_input, c, k1, b)
                       for c in sample.contexts]
        assert scores["context_relevance"][i] == pytest.approx(np.mean(per_context), abs=1e-12)
        assert scores["best_context_relevance"][i] == pytest.approx(max(per_context), abs=1e-12)
        assert scores["answer_relevance"][i] == pytest.approx(
            _bm25_coverage(scorer.statistics, sample.user_input, sample.output, k1, b), abs=1e-12
        )


def test_italian_inflections_and_stop_words_meet():
    statistics = TermStatistics("italian")
    samples = [RagSample("1", "Quali modelli sono stati addestrati?", (
        "Il modello è stato addestrato sui dati del 2024.", "La pizza napoletana è famosa."),
        "Il modello addestrato.")]
    statistics.add(samples)
    scores = RagScorer(statistics).score(samples)
    assert scores["context_relevance"][0] > 0  # "modelli" meets "modello"
    assert scores["best_context_relevance"][0] == pytest.approx(2 * scores["context_relevance"][0])
    # "modelli addestrati" and "modello addestrato": the same two content words once each.
    assert scores["answer_relevance"][0] == pytest.approx(1.0)
    # Italian stop words weigh nothing: a text of stop words alone has no content.
    assert statistics._analyser.codes(["il", "della", "perché", "modello"]).tolist()[:3] == [
        -1, -1, -1]


# ---------------------------------------------------------------------------------------------
# Groundedness
# ---------------------------------------------------------------------------------------------


def test_grounded_answer_scores_higher_groundedness_than_an_invented_one():
    copied = "It was completed in 1889 as the entrance arch for the World's Fair."
    paraphrased = "The Eiffel Tower was finished in 1889 as the arch at the entrance of the fair."
    invented = "The tower was designed by aliens from Mars and painted gold in 1920."
    mixed = f"{copied} {invented}"
    samples = [RagSample(str(i), QUESTION, (BANANAS, EIFFEL), output)
               for i, output in enumerate([copied, paraphrased, invented, mixed])]
    scores = score_all(samples)
    grounded = scores["groundedness"]
    assert grounded[0] == 1.0
    assert grounded[1] == 1.0
    assert grounded[2] == 0.0
    assert 0.0 < grounded[3] < 1.0
    assert scores["output_sentences"].tolist() == [1, 1, 1, 2]
    assert scores["supported_sentences"].tolist() == [1, 1, 0, 1]


def test_a_claim_spread_over_two_adjacent_context_sentences_is_supported():
    first, second = "The Eiffel Tower stands in Paris.", "It was completed in 1889 for the fair."
    claim = "The Eiffel Tower was completed in 1889."
    samples = [
        RagSample("adjacent", QUESTION, (f"{first} {second}",), claim),
        # the same two sentences in two contexts: no passage states the claim
        RagSample("apart", QUESTION, (first, second), claim),
    ]
    scores = score_all(samples, support_threshold=1.0)  # coverage alone decides
    assert scores["groundedness"].tolist() == [1.0, 0.0]


def test_groundedness_weights_sentences_by_their_content_words():
    supported = "The Eiffel Tower is a wrought-iron lattice tower in Paris, France."
    invented = "Aliens built it."
    [score] = score_all([RagSample("1", QUESTION, (EIFFEL,), f"{supported} {invented}")])[
        "groundedness"]
    analyser = TermStatistics("english")._analyser
    weights = [
        sum(analyser._code(t) >= 0 for t in re.findall(r"[^\W_]+", s.lower()))
        for s in (supported, invented)
    ]
    assert score == pytest.approx(weights[0] / sum(weights))


def test_a_stricter_support_threshold_supports_no_more_sentences():
    outputs = ["The Eiffel Tower was finished in 1889.", "The tower stands tall in Paris.",
               "It was the tallest structure for many years."]
    samples = [RagSample(str(i), QUESTION, (EIFFEL,), o) for i, o in enumerate(outputs)]
    previous = None
    for threshold in (0.0, 0.3, 0.6, 0.9, 1.0):
        supported = score_all(samples, support_threshold=threshold, coverage_threshold=threshold)[
            "supported_sentences"]
        if previous is not None:
            assert (supported <= previous).all()
        previous = supported
    assert previous.sum() < 3  # nothing is perfectly covered at the strictest thresholds


def test_groundedness_is_nan_for_an_empty_output_or_without_contexts():
    samples = [
        RagSample("empty", QUESTION, (EIFFEL,), ""),
        RagSample("no-context", QUESTION, (), "It was completed in 1889."),
        RagSample("stop-words", QUESTION, (EIFFEL,), "It is what it is."),
        RagSample("empty-context", QUESTION, ("",), "It was completed in 1889."),
    ]
    scores = score_all(samples)
    grounded = scores["groundedness"]
    assert np.isnan(grounded[:3]).all()
    assert grounded[3] == 0.0  # a context that says nothing supports nothing
    assert scores["output_sentences"].tolist() == [0, 1, 0, 1]
    assert scores["supported_sentences"].tolist() == [0, 0, 0, 0]


# ---------------------------------------------------------------------------------------------
# Answer against target
# ---------------------------------------------------------------------------------------------


def test_exact_answer_is_correct_and_wrong_answer_is_not():
    samples = [
        RagSample("exact", QUESTION, (EIFFEL,), "It was completed in 1889.",
                  "It was completed in 1889."),
        RagSample("normalised", QUESTION, (EIFFEL,), "the Tower: completed, 1889!",
                  "Tower completed 1889"),
        RagSample("wrong", QUESTION, (EIFFEL,), "Bananas are yellow.", "It was completed in 1889."),
        RagSample("partial", QUESTION, (EIFFEL,), "It was built in 1889.", "Completed in 1889."),
    ]
    scores = score_all(samples)
    assert scores["answer_correctness"].tolist()[:3] == [1.0, 1.0, 0.0]
    assert scores["answer_rouge_l"].tolist()[:3] == [1.0, 1.0, 0.0]
    assert 0 < scores["answer_correctness"][3] < 1


def test_token_f1_matches_a_hand_computation():
    # normalised output: cat sat on mat; target: cat on mat today; common: cat on mat
    # precision 3/4, recall 3/4 -> F1 0.75. With repeats, the common count is per token:
    # "cat cat dog" vs "cat dog dog" share one cat and one dog -> P = R = 2/3.
    samples = [
        RagSample("1", "q", (), "The cat sat on the mat.", "A cat on a mat today"),
        RagSample("2", "q", (), "cat cat dog", "cat dog dog"),
        RagSample("3", "q", (), "one two three four", "two"),  # P 1/4, R 1 -> F1 0.4
    ]
    scores = score_all(samples)
    assert scores["answer_correctness"] == pytest.approx([0.75, 2 / 3, 0.4])
    # ROUGE-L: "cat sat on mat" vs "cat on mat today": LCS cat on mat = 3 -> F 0.75;
    # "cat cat dog" vs "cat dog dog": LCS cat dog = 2 -> F 2/3; "two" is a subsequence: 0.4.
    assert scores["answer_rouge_l"] == pytest.approx([0.75, 2 / 3, 0.4])
    assert rag.token_f1("The cat sat on the mat.", "A cat on a mat today") == pytest.approx(0.75)


def _squad_f1(prediction: list[str], truth: list[str]) -> float:
    """SQuAD v1.1's f1_score on already normalised tokens."""
    if not prediction or not truth:
        return float(prediction == truth)
    common = Counter(prediction) & Counter(truth)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(prediction), same / len(truth)
    return 2 * precision * recall / (precision + recall)


def _lcs(a: list[str], b: list[str]) -> int:
    """The textbook full-table dynamic program."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1],
                                                                     table[i + 1][j])
    return table[-1][-1]


_TOKENS = st.lists(st.sampled_from(["w0", "w1", "w2", "w3", "w4", "the", "Cat"]), max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=st.lists(st.tuples(_TOKENS, _TOKENS), min_size=1, max_size=6))
def test_rouge_l_and_f1_match_independent_implementations(pairs):
    samples = [RagSample(str(i), "q", (), " ".join(out), " ".join(ref))
               for i, (out, ref) in enumerate(pairs)]
    statistics = TermStatistics("english")
    scores = RagScorer(statistics).score(samples)
    for i, (out, ref) in enumerate(pairs):
        out = [t.lower() for t in out if t != "the"]
        ref = [t.lower() for t in ref if t != "the"]
        assert scores["answer_correctness"][i] == pytest.approx(_squad_f1(out, ref), abs=1e-12)
        if out and ref:
            expected = 2 * _lcs(out, ref) / (len(out) + len(ref))
        else:
            expected = float(out == ref)
        assert scores["answer_rouge_l"][i] == pytest.approx(expected, abs=1e-12)
        assert scores["output_tokens"][i] == len(pairs[i][0])


def test_no_target_gives_nan_answer_scores():
    samples = [RagSample("1", QUESTION, (EIFFEL,), "In 1889.", None),
               RagSample("2", QUESTION, (EIFFEL,), "In 1889.", "")]
    scores = score_all(samples)
    assert np.isnan(scores["answer_correctness"][0]) and np.isnan(scores["answer_rouge_l"][0])
    # an empty target is a target: nothing in the output matches it
    assert scores["answer_correctness"][1] == 0.0 and scores["answer_rouge_l"][1] == 0.0


def test_no_contexts_gives_nan_context_relevance_and_empty_output_zero_answer_relevance():
    samples = [RagSample("1", QUESTION, (), "It was completed in 1889."),
               RagSample("2", QUESTION, (EIFFEL,), "")]
    scores = score_all(samples)
    assert np.isnan(scores["context_relevance"][0])
    assert np.isnan(scores["best_context_relevance"][0])
    assert scores["answer_relevance"][1] == 0.0
    assert scores["output_tokens"][1] == 0 and scores["output_characters"][1] == 0


def test_output_lengths():
    output = "Città: 3.5 km, e.g. north!"
    [tokens], [characters] = (score_all([RagSample("1", "q", (), output)])[k]
                              for k in ("output_tokens", "output_characters"))
    assert characters == len(output)
    assert tokens == len(["città", "3.5", "km", "e", "g", "north"])


# ---------------------------------------------------------------------------------------------
# Refusals and sentences
# ---------------------------------------------------------------------------------------------

REFUSALS = [
    "I'm sorry, I can't help with that.",
    "I’m sorry, but I cannot answer this question.",
    "Sorry, I don't have enough information to answer.",
    "I don't have enough information to answer that question.",
    "As an AI language model, I do not have personal opinions.",
    "Unfortunately, I cannot provide that information.",
    "The provided context does not contain information about the launch date.",
    "I am unable to answer based on the documents.",
    "I don't know.",
    "Mi dispiace, non posso rispondere a questa domanda.",
    "Non ho informazioni sufficienti per rispondere.",
    "Purtroppo non dispongo di informazioni su questo argomento.",
    "In quanto intelligenza artificiale, non ho opinioni personali.",
    "Il contesto fornito non contiene la risposta.",
    "Non sono in grado di fornire questa informazione.",
    "Non lo so.",
]
ANSWERS = [
    "The Eiffel Tower was completed in 1889.",
    "Sorry is a word that apologises; the film 'Sorry' was released in 2014.",
    "The cache cannot grow beyond its limit, so old entries are evicted.",
    "Unfortunately the project was cancelled in 2020.",
    "As announced, the model was retrained on new data.",
    "There is enough information in the logs to reproduce the bug.",
    "La Torre Eiffel è stata completata nel 1889.",
    "Il modello non è stato riaddestrato perché i dati non erano cambiati.",
    "Purtroppo il progetto è stato cancellato nel 2020.",
    "Le informazioni sono salvate nel database.",
    "",
]


@pytest.mark.parametrize("output", REFUSALS)
def test_refusals_are_detected(output):
    assert is_refusal(output)


@pytest.mark.parametrize("output", ANSWERS)
def test_answers_are_not_refusals(output):
    assert not is_refusal(output)


def test_refusal_scores_follow_is_refusal():
    samples = [RagSample(str(i), "q", (), o) for i, o in enumerate(REFUSALS[:3] + ANSWERS[:3])]
    assert score_all(samples)["refusal"].tolist() == [True] * 3 + [False] * 3


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr. Smith arrived. He was late.", 2),
        ("Use a regulariser, e.g. dropout, i.e. noise. Then train.", 2),
        ("The loss fell to 3.5 after 2.25 epochs. Good.", 2),
        ("Is it true? Yes! It is.", 3),
        ("First line\nSecond line\n\nThird paragraph", 3),
        ("A sentence wrapped\nover two lines.", 1),
        ("J. R. R. Tolkien wrote it. Mr. Baggins read it.", 2),
        ('He said "stop." Then he left.', 2),
        ("Il sig. Rossi è arrivato, ecc. e poi è partito. Fine.", 2),
        ("", 0),
        ("   \n ", 0),
    ],
)
def test_sentence_splitter(text, expected):
    sentences = split_sentences(text)
    assert len(sentences) == expected, sentences
    # nothing but the sentence-ending punctuation and spaces is lost
    assert re.findall(r"\w+", " ".join(sentences)) == re.findall(r"\w+", text)


# ---------------------------------------------------------------------------------------------
# Term statistics and determinism
# ---------------------------------------------------------------------------------------------


def test_term_statistics_count_documents_and_document_frequencies():
    samples = [
        RagSample("1", "tower tower", ("tower in Paris", "bananas"), "the tower", "tower"),
        RagSample("2", "bananas?", (), "Paris", None),
    ]
    statistics = TermStatistics("english", buckets=1 << 12)
    statistics.add(samples)
    assert statistics.documents == 4 + 2  # targets are no documents
    bucket = zlib.crc32(b"tower") % (1 << 12)  # a stable hash, not Python's salted hash()
    assert statistics.document_frequencies[bucket] == 3  # once per document, not per token
    assert statistics.document_frequencies[zlib.crc32(b"banana") % (1 << 12)] == 2
    # content tokens: tower tower | tower paris | banana | tower | banana | paris
    assert statistics.total_length == 8
    assert statistics.average_length == pytest.approx(8 / 6)
    idf = statistics.idf()
    assert idf[bucket] == pytest.approx(math.log(1 + (6 - 3 + 0.5) / (3 + 0.5)))
    assert idf[bucket] < idf[zlib.crc32(b"paris") % (1 << 12)]  # commoner terms weigh less


def test_term_statistics_streamed_in_batches_equal_one_pass_and_merge():
    samples = [RagSample(str(i), f"question {i}", (EIFFEL, BANANAS), f"answer {i % 3}")
               for i in range(20)]
    whole = TermStatistics("multilanguage")
    whole.add(samples)
    streamed = TermStatistics("multilanguage")
    for start in range(0, 20, 7):
        streamed.add(samples[start:start + 7])
    merged = TermStatistics("multilanguage")
    other = TermStatistics("multilanguage")
    merged.add(samples[:5])
    other.add(samples[5:])
    merged.merge(other)
    for statistics in (streamed, merged):
        assert statistics.documents == whole.documents
        assert statistics.total_length == whole.total_length
        np.testing.assert_array_equal(statistics.document_frequencies, whole.document_frequencies)


def test_term_statistics_round_trip_through_json():
    samples = _mixed_samples(100)
    statistics = TermStatistics("italian", buckets=1 << 10)
    statistics.add(samples)
    restored = TermStatistics.from_dict(json.loads(json.dumps(statistics.to_dict())))
    assert (restored.language, restored.buckets) == ("italian", 1 << 10)
    assert (restored.documents, restored.total_length) == (
        statistics.documents, statistics.total_length)
    np.testing.assert_array_equal(restored.document_frequencies, statistics.document_frequencies)
    _assert_same_scores(RagScorer(restored).score(samples), RagScorer(statistics).score(samples))


def _mixed_samples(count: int, seed: int = 0) -> list[RagSample]:
    rng = np.random.default_rng(seed)
    words = np.array("tower paris bananas fruit iron 1889 metres tall potassium tropical model "
                     "data drift the of and is it modello dati".split())
    def text(n):
        return ". ".join(" ".join(rng.choice(words, 6)) for _ in range(max(1, n // 6))) + "."
    return [RagSample(str(i), text(6), tuple(text(18) for _ in range(rng.integers(0, 4))),
                      text(12), text(6) if i % 3 else None) for i in range(count)]


def _assert_same_scores(first, second):
    assert list(first) == list(second)
    for name in first:
        np.testing.assert_array_equal(first[name], second[name], err_msg=name)


def test_scores_are_deterministic_and_independent_of_batching():
    samples = _mixed_samples(300)
    scorer = scorer_for(samples)
    once = scorer.score(samples)
    _assert_same_scores(once, scorer.score(samples))
    _assert_same_scores(once, scorer_for(samples).score(samples))  # fresh statistics
    pieces = [scorer.score(samples[i:i + 37]) for i in range(0, len(samples), 37)]
    _assert_same_scores(once, {k: np.concatenate([p[k] for p in pieces]) for k in once})


def test_scores_do_not_depend_on_the_hash_seed():
    program = (
        "import sys, json, numpy as np\n"
        "sys.path.insert(0, %r)\n"
        "from test_rag_scoring import _mixed_samples, scorer_for\n"
        "s = _mixed_samples(50)\n"
        "print(json.dumps({k: np.asarray(v, float).tolist() for k, v in "
        "scorer_for(s).score(s).items()}))\n"
    ) % os.path.dirname(__file__)
    results = []
    for seed in ("1", "2"):
        environment = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                              env=environment, check=True, timeout=300)
        results.append(done.stdout)
    assert results[0] == results[1]
    local = scorer_for(_mixed_samples(50)).score(_mixed_samples(50))
    remote = json.loads(results[0])
    for name, values in local.items():
        np.testing.assert_array_equal(np.asarray(values, float), remote[name])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(st.text(alphabet=st.sampled_from(list("ab cé.?!\nXY1")), max_size=60),
                   min_size=4, max_size=16),
    language=st.sampled_from(LANGUAGES),
)
def test_scores_stay_in_their_bounds_on_arbitrary_text(texts, language):
    samples = [RagSample(str(i), texts[i], tuple(texts[i + 1:i + 1 + i % 3]), texts[-1 - i],
                         texts[i - 1] if i % 2 else None)
               for i in range(len(texts) // 2)]
    scores = score_all(samples, language)
    for name in SCORE_METRICS:
        values = scores[name]
        finite = values[~np.isnan(values)]
        assert ((finite >= 0) & (finite <= 1)).all(), name
    assert (scores["supported_sentences"] <= scores["output_sentences"]).all()
    for i, sample in enumerate(samples):
        assert np.isnan(scores["context_relevance"][i]) == (not sample.contexts)
        assert np.isnan(scores["answer_correctness"][i]) == (sample.target is None)
        assert scores["best_context_relevance"][i] >= scores["context_relevance"][i] or (
            not sample.contexts)


# ---------------------------------------------------------------------------------------------
# The summary
# ---------------------------------------------------------------------------------------------


def _random_scores(count: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    scores = {}
    for name in SCORE_METRICS:
        values = rng.beta(2.0, 5.0, count)
        values[rng.random(count) < 0.1] = np.nan
        values[rng.random(count) < 0.05] = 1.0
        scores[name] = values
    scores["refusal"] = rng.random(count) < 0.07
    scores["output_tokens"] = rng.poisson(40, count).astype(np.int32)
    scores["output_characters"] = rng.lognormal(5.5, 1.0, count).astype(np.int32)
    scores["output_sentences"] = rng.integers(0, 6, count).astype(np.int32)
    scores["supported_sentences"] = np.minimum(rng.integers(0, 6, count),
                                               scores["output_sentences"]).astype(np.int32)
    return scores


def _by_name(summary: RagSummary) -> dict[str, MetricSummary]:
    return {m.name: m for m in summary.metrics()}


@pytest.mark.parametrize("count, seed", [(1, 0), (2, 1), (7, 2), (1000, 3), (20_000, 4)])
def test_summary_matches_numpy_on_random_scores(count, seed):
    scores = _random_scores(count, seed)
    summary = RagSummary(threshold=0.3)
    summary.add(scores)
    metrics = _by_name(summary)
    assert [m.name for m in summary.metrics()] == list(rag.SUMMARY_METRICS)
    for name, values in scores.items():
        values = np.asarray(values, dtype=np.float64)
        values = values[~np.isnan(values)]
        metric = metrics[name]
        assert metric.count == values.size
        assert metric.mean == pytest.approx(values.mean(), rel=1e-12)
        assert metric.minimum == values.min() and metric.maximum == values.max()
        assert sum(metric.histogram_counts) == values.size
        assert len(metric.histogram_counts) == len(metric.histogram_edges) - 1 <= 20
        for q, value in metric.quantiles.items():
            expected = np.quantile(values, q)
            if name in ("output_characters",):  # 1% bins above 1024 characters
                assert value == pytest.approx(expected, rel=0.01, abs=1e-9)
            elif name in rag.LENGTH_METRICS or name == "refusal":
                assert value == pytest.approx(expected, abs=1e-9)  # exact integer bins
            else:
                assert abs(value - expected) <= 0.001
        if name in SCORE_METRICS:
            assert metric.share_below_threshold == pytest.approx(np.mean(values < 0.3))
        elif name == "refusal":
            assert metric.share_below_threshold == pytest.approx(values.mean())
        else:
            assert math.isnan(metric.share_below_threshold)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=200),
       q=st.floats(0.0, 1.0))
def test_score_quantiles_are_within_a_thousandth_of_numpy(values, q):
    accumulator = rag._MetricAccumulator("groundedness")
    accumulator.add(np.array(values), 0.5)
    assert abs(accumulator.quantile(q) - np.quantile(values, q)) <= 0.001


def test_summary_of_nothing_has_no_values():
    metrics = _by_name(RagSummary())
    for metric in metrics.values():
        assert metric.count == 0
        assert math.isnan(metric.mean) and math.isnan(metric.minimum)
        assert all(math.isnan(v) for v in metric.quantiles.values())
        assert sum(metric.histogram_counts) == 0


def test_merge_equals_adding_both():
    first, second = _random_scores(500, 10), _random_scores(800, 11)
    together = RagSummary()
    together.add(first)
    together.add(second)
    merged, other = RagSummary(), RagSummary()
    merged.add(first)
    other.add(second)
    merged.merge(other)
    assert _equal_with_nan(merged, together)
    assert merged.to_dict() == together.to_dict()
    with pytest.raises(ValueError):
        merged.merge(RagSummary(threshold=0.9))


def _equal_with_nan(a: RagSummary, b: RagSummary) -> bool:
    # MetricSummary holds NaN for the lengths' share, and NaN != NaN: compare their JSON forms.
    return json.dumps([m.__dict__ for m in a.metrics()], default=str) == json.dumps(
        [m.__dict__ for m in b.metrics()], default=str)


def test_to_dict_round_trips_through_json():
    summary = RagSummary(threshold=0.4)
    summary.add(_random_scores(3000, 12))
    restored = RagSummary.from_dict(json.loads(json.dumps(summary.to_dict(), allow_nan=False)))
    assert restored.threshold == 0.4
    assert _equal_with_nan(restored, summary)
    assert restored.to_dict() == summary.to_dict()
    empty = RagSummary.from_dict(json.loads(json.dumps(RagSummary().to_dict(), allow_nan=False)))
    assert _equal_with_nan(empty, RagSummary())
    with pytest.raises(ValueError):
        RagSummary.from_dict({**summary.to_dict(), "version": 99})


def test_summary_size_does_not_grow_with_the_samples():
    small, large = RagSummary(), RagSummary()
    small.add(_random_scores(1000, 13))
    for seed in range(10):
        large.add(_random_scores(10_000, 100 + seed))
    small_size = len(json.dumps(small.to_dict()))
    large_size = len(json.dumps(large.to_dict()))
    # Only the digits of the counts and the floats' repr may differ.
    assert abs(large_size - small_size) < 400
    assert large.count == 100_000


def test_summary_of_scored_samples():
    samples = _mixed_samples(200, seed=5)
    scores = scorer_for(samples).score(samples)
    summary = RagSummary()
    summary.add(scores)
    metrics = _by_name(summary)
    assert metrics["output_characters"].count == 200
    assert metrics["answer_correctness"].count == sum(s.target is not None for s in samples)
    assert metrics["context_relevance"].count == sum(bool(s.contexts) for s in samples)
    with pytest.raises(KeyError):
        summary.add({"groundedness": scores["groundedness"]})


def test_a_summary_of_other_scores_keeps_only_them():
    """An LLM judge's scores are summarised like the scorer's, on their own."""
    rng = np.random.default_rng(3)
    values = rng.random(500)
    values[::10] = np.nan
    summary = RagSummary(0.4, scores=["judge_groundedness"])
    summary.add({"judge_groundedness": values})
    (metric,) = summary.metrics()
    kept = values[~np.isnan(values)]
    assert metric.name == "judge_groundedness" and metric.count == kept.size == summary.count
    assert metric.share_below_threshold == pytest.approx(np.mean(kept < 0.4))
    assert metric.quantiles[0.5] == pytest.approx(np.quantile(kept, 0.5), abs=1e-3)
    again = RagSummary.from_dict(json.loads(json.dumps(summary.to_dict())))
    assert again.metrics() == summary.metrics()
    with pytest.raises(KeyError, match="judge_groundedness"):
        summary.add({"groundedness": values})
