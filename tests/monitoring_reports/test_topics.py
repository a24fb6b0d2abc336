"""The topic modelling core: reservoir, fitting and choosing k, assignment, shares over time."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import adjusted_rand_score

from driftline_server.monitoring.reports.topics import (
    _ITALIAN_STOP_WORDS,
    LANGUAGES,
    TextReservoir,
    TopicShares,
    _top_terms,
    fit_topics,
)

THEMES = {
    "football": "goal striker referee penalty stadium midfielder league match keeper offside "
    "corner tackle coach champions fans derby winger defender kickoff trophy".split(),
    "cooking": "recipe oven garlic onion simmer pasta sauce butter flour bake chop salt pepper "
    "tomato basil skillet dough roast whisk olive".split(),
    "banking": "loan mortgage interest account deposit credit bank savings overdraft branch "
    "balance payment rate withdrawal card statement fee cheque investment cashier".split(),
}
# Shared by every theme: words that say nothing of the topic, and English stop words.
FILLER = "today really think people good new time week yesterday thing great maybe".split()
ENGLISH_STOP = "the a of and to is was it that with for on in this".split()

TEMI = {
    "calcio": "partita gol arbitro rigore stadio allenatore campionato squadra portiere tifosi "
    "attaccante difensore".split(),
    "cucina": "ricetta forno aglio cipolla pasta sugo burro farina basilico pomodoro impasto "
    "padella".split(),
    "banca": "mutuo prestito conto deposito interessi carta bonifico filiale saldo rata "
    "investimento risparmi".split(),
}
# Frequent enough to be a topic's top terms were they not stop words (each is in well under
# the 70% of texts that max_df would prune), and each theme favours its own third of them, so
# that NMF would weigh them (see the English fit of the Italian test).
ITALIAN_STOP = "il lo la gli le un una di del della dei delle che non per con su sono ha hanno " \
    "questo questa molto anche come più quando dove perché ma se nel nella sul sulla".split()


def themed_corpus(count: int, seed: int, themes=THEMES, stop=ENGLISH_STOP, filler=FILLER,
                  stop_per_theme=False):
    """(texts, theme index per text): each text mixes one theme's words with shared words."""
    rng = np.random.default_rng(seed)
    names = list(themes)
    labels = rng.integers(0, len(names), count)
    favour = np.ones((len(names), len(stop)))
    if stop_per_theme:
        for label in range(len(names)):
            favour[label, label::len(names)] = 20.0
    favour /= favour.sum(axis=1, keepdims=True)
    texts = []
    for label in labels:
        words = list(rng.choice(themes[names[label]], rng.integers(8, 14)))
        words += list(rng.choice(filler, 4)) if filler else []
        words += list(rng.choice(stop, 12 if stop_per_theme else 5, p=favour[label]))
        rng.shuffle(words)
        texts.append(" ".join(words))
    return texts, labels


@pytest.fixture(scope="module")
def three_themes():
    texts, labels = themed_corpus(600, seed=0)
    return texts, labels, fit_topics(texts, "english", min_topics=2, max_topics=8)


# --- reservoir ----------------------------------------------------------------------------------


def test_reservoir_keeps_everything_until_full_then_stays_at_capacity():
    reservoir = TextReservoir(capacity=50, seed=1)
    reservoir.add([f"t{i}" for i in range(30)])
    assert reservoir.texts == [f"t{i}" for i in range(30)] and reservoir.seen == 30
    for start in range(30, 1000, 70):
        reservoir.add([f"t{i}" for i in range(start, min(start + 70, 1000))])
        assert len(reservoir.texts) == 50
    assert reservoir.seen == 1000
    assert len(set(reservoir.texts)) == 50


def test_reservoir_keeps_every_position_equally_often():
    stream, capacity, trials = 100, 10, 2000
    kept = np.zeros(stream, np.int64)
    for seed in range(trials):
        reservoir = TextReservoir(capacity=capacity, seed=seed)
        for start in range(0, stream, 13):
            reservoir.add([str(i) for i in range(start, min(start + 13, stream))])
        kept[[int(text) for text in reservoir.texts]] += 1
    # Each position is kept with probability capacity / stream: 200 times in 2000 trials.
    statistic, p_value = stats.chisquare(kept)
    print(f"reservoir chi-square {statistic:.1f}, p={p_value:.3f}")
    assert p_value > 0.001
    assert kept[:capacity].sum() == pytest.approx(kept[-capacity:].sum(), rel=0.15)


def test_reservoir_depends_on_seed_and_order_not_on_batches():
    texts = [f"text {i}" for i in range(5000)]
    whole = TextReservoir(capacity=100, seed=7)
    whole.add(texts)
    batched = TextReservoir(capacity=100, seed=7)
    for size, start in zip([1, 99, 400, 1500, 3000], [0, 1, 100, 500, 2000]):
        batched.add(texts[start:start + size])
    assert batched.texts == whole.texts and batched.seen == whole.seen == 5000
    other = TextReservoir(capacity=100, seed=8)
    other.add(texts)
    assert other.texts != whole.texts


# --- fitting and assignment ---------------------------------------------------------------------


def test_three_separate_themes_are_found_and_assigned(three_themes):
    texts, labels, model = three_themes
    topic_ids, confidence = model.assign(texts)
    ari = adjusted_rand_score(labels, topic_ids)
    print(f"adjusted rand index {ari:.3f}, candidates {model.candidates}")
    assert ari >= 0.8
    assert len(model.topics) == 3
    assert [k for k, _ in model.candidates] == list(range(2, 9))
    assert model.coherence == dict(model.candidates)[3]
    assert topic_ids.dtype == np.int32 and confidence.dtype == np.float32
    assert np.all((confidence > 0) & (confidence <= 1))
    for topic in model.topics:
        # Each topic's terms come from one theme; filler and stop words are not topics.
        (theme,) = {name for name, words in THEMES.items() if topic.terms[0][0] in words}
        assert all(set(term.split()) <= set(THEMES[theme]) for term, _ in topic.terms)


def test_topics_carry_ten_weighted_terms_and_a_label_of_the_first_three(three_themes):
    _, _, model = three_themes
    assert [topic.topic_id for topic in model.topics] == [0, 1, 2]
    for topic in model.topics:
        assert len(topic.terms) == 10
        weights = [weight for _, weight in topic.terms]
        assert sum(weights) == pytest.approx(1.0)
        assert weights == sorted(weights, reverse=True)
        assert topic.label == " · ".join(term for term, _ in topic.terms[:3])


def test_a_bigram_absorbs_its_own_words_among_the_top_terms():
    vocabulary = np.array(["cross", "validation", "cross validation", "estimator", "fold",
                           "validation fold", "grid"])
    component = np.array([0.9, 0.8, 0.5, 0.6, 0.3, 0.25, 0.1])
    top = [(str(vocabulary[term]), round(weight, 6)) for term, weight in
           _top_terms(component, vocabulary)]
    # "validation fold" shares a word with the kept "cross validation", so it is skipped.
    assert top == [("cross validation", 2.2), ("estimator", 0.6), ("fold", 0.3), ("grid", 0.1)]


def test_topics_are_numbered_by_size():
    texts, labels = themed_corpus(600, seed=4)
    # Keep every football text, half the cooking ones, a fifth of the banking ones.
    keep = np.random.default_rng(0).random(len(texts)) < np.array([1.0, 0.5, 0.2])[labels]
    texts = [text for text, kept in zip(texts, keep) if kept]
    model = fit_topics(texts, "english", min_topics=3, max_topics=3)
    counts = np.bincount(model.assign(texts)[0], minlength=3)
    assert list(counts) == sorted(counts, reverse=True)
    assert model.topics[0].terms[0][0] in THEMES["football"]


def test_fitting_and_assignment_are_deterministic(three_themes):
    texts, _, model = three_themes
    again = fit_topics(texts, "english", min_topics=2, max_topics=8)
    assert again == model  # topics, coherence, candidates, language
    first, first_confidence = model.assign(texts)
    second, second_confidence = again.assign(texts)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first_confidence, second_confidence)


def test_assignment_does_not_depend_on_batches(three_themes):
    texts, _, model = three_themes
    whole, whole_confidence = model.assign(texts)
    parts = [model.assign(texts[start:start + 37]) for start in range(0, len(texts), 37)]
    np.testing.assert_array_equal(np.concatenate([ids for ids, _ in parts]), whole)
    np.testing.assert_allclose(np.concatenate([c for _, c in parts]), whole_confidence,
                               rtol=1e-5)


def test_texts_with_no_known_term_are_unassigned(three_themes):
    _, _, model = three_themes
    topic_ids, confidence = model.assign(
        ["", "12345 !!!", "the and of it", "zebra quantum xylophone", None,
         "penalty striker goal"]
    )
    assert list(topic_ids[:5]) == [-1] * 5
    assert list(confidence[:5]) == [0] * 5
    assert topic_ids[5] >= 0 and confidence[5] > 0.5
    empty_ids, empty_confidence = model.assign([])
    assert empty_ids.shape == empty_confidence.shape == (0,)


def test_italian_stop_words_never_appear_among_top_terms():
    texts, labels = themed_corpus(600, seed=3, themes=TEMI, stop=ITALIAN_STOP, filler=None,
                                  stop_per_theme=True)
    model = fit_topics(texts, "italian", min_topics=2, max_topics=6)
    top_words = {word for topic in model.topics for term, _ in topic.terms
                 for word in term.split()}
    assert not top_words & _ITALIAN_STOP_WORDS
    # The corpus is a fair test: read as English, its Italian stop words are top terms.
    english = fit_topics(texts, "english", min_topics=3, max_topics=3)
    english_words = {word for topic in english.topics for term, _ in topic.terms
                     for word in term.split()}
    assert english_words & _ITALIAN_STOP_WORDS
    assert len(model.topics) == 3
    assert adjusted_rand_score(labels, model.assign(texts)[0]) >= 0.8
    assert model.language == "italian"


def test_multilanguage_removes_english_and_italian_stop_words():
    english, _ = themed_corpus(300, seed=5)
    italian, _ = themed_corpus(300, seed=6, themes=TEMI, stop=ITALIAN_STOP, filler=None)
    model = fit_topics(english + italian, "multilanguage", min_topics=2, max_topics=8)
    top_words = {word for topic in model.topics for term, _ in topic.terms
                 for word in term.split()}
    assert not top_words & (_ITALIAN_STOP_WORDS | set(ENGLISH_STOP))


def test_italian_elided_articles_are_stop_words():
    rng = np.random.default_rng(2)
    texts = []
    for index in range(200):
        theme = ["acqua olio aceto uovo", "anno estate inverno autunno"][index % 2].split()
        words = [f"{rng.choice(['dell', 'l', 'nell', 'all', 'quest', 'un'])}'{word}"
                 for word in rng.choice(theme, 5)]
        texts.append(" ".join(words))
    model = fit_topics(texts, "italian", min_topics=2, max_topics=4)
    top_words = {word for topic in model.topics for term, _ in topic.terms
                 for word in term.split()}
    assert top_words <= set("acqua olio aceto uovo anno estate inverno autunno".split())


def test_too_few_texts_raise_a_clear_error():
    with pytest.raises(ValueError, match="too few texts to find two topics.*send more samples"):
        fit_topics(["billing invoice refund", "billing invoice"], "english")
    with pytest.raises(ValueError, match="too few texts to find two topics"):
        fit_topics([], "english")
    with pytest.raises(ValueError, match="too few texts.*language"):
        fit_topics(["the and of it is"] * 50, "english")


def test_the_data_bounds_the_number_of_topics():
    texts, _ = themed_corpus(20, seed=1)
    model = fit_topics(texts, "english", min_topics=2, max_topics=10)
    assert max(k for k, _ in model.candidates) <= len(texts) // 5


def test_unknown_language_and_bad_bounds_are_refused():
    texts, _ = themed_corpus(60, seed=1)
    with pytest.raises(ValueError, match="unknown language 'klingon'.*english, italian"):
        fit_topics(texts, "klingon")
    with pytest.raises(ValueError, match="min_topics <= max_topics"):
        fit_topics(texts, "english", min_topics=5, max_topics=3)
    with pytest.raises(ValueError, match="2 <= min_topics"):
        fit_topics(texts, "english", min_topics=1)
    assert LANGUAGES == ("english", "italian", "multilanguage")


# --- shares over time ---------------------------------------------------------------------------


def test_shares_sum_to_one_per_non_empty_bucket():
    rng = np.random.default_rng(0)
    shares = TopicShares(topic_count=4, from_timestamp=1000.0, to_timestamp=2000.0, buckets=10)
    for _ in range(5):
        # Nothing in the fourth bucket, a few samples outside the range.
        timestamps = rng.uniform(900.0, 2100.0, 300)
        timestamps = timestamps[(timestamps < 1300) | (timestamps >= 1400)]
        shares.add(rng.integers(-1, 4, len(timestamps)), timestamps)
    table = shares.shares()
    assert table.total + table.out_of_range == shares.counts.sum() + table.out_of_range
    assert table.out_of_range > 0
    rows = [*table.topics, table.unassigned]
    assert sum(row.share for row in rows) == pytest.approx(1.0)
    assert sum(row.count for row in rows) == table.total
    for bucket in range(10):
        bucket_total = sum(row.buckets[bucket].share for row in rows)
        assert bucket_total == pytest.approx(0.0 if bucket == 3 else 1.0)
    first = table.topics[0].buckets[0]
    assert (first.start, first.end) == (1000.0, 1100.0)
    assert table.topics[0].buckets[-1].end == 2000.0
    assert table.unassigned.topic_id == -1


def test_the_range_end_falls_in_the_last_bucket():
    shares = TopicShares(topic_count=1, from_timestamp=0.0, to_timestamp=10.0, buckets=5)
    shares.add(np.array([0, 0, 0, 0]), np.array([0.0, 10.0, 10.5, np.nan]))
    table = shares.shares()
    assert [b.count for b in table.topics[0].buckets] == [1, 0, 0, 0, 1]
    assert table.out_of_range == 2


def test_a_theme_of_the_second_half_has_no_share_early(three_themes):
    _, _, model = three_themes
    texts, labels = themed_corpus(2000, seed=11)
    rng = np.random.default_rng(1)
    start, end = 1_700_000_000.0, 1_700_000_000.0 + 30 * 86400
    middle = (start + end) / 2
    # Banking texts only arrive in the second half of the range; the rest all along.
    timestamps = np.where(labels == 2, rng.uniform(middle, end, len(labels)),
                          rng.uniform(start, end, len(labels)))
    shares = TopicShares(len(model.topics), start, end, buckets=10)
    for batch in range(0, len(texts), 250):
        topic_ids, _ = model.assign(texts[batch:batch + 250])
        shares.add(topic_ids, timestamps[batch:batch + 250])
    table = shares.shares()
    banking = next(t for t in model.topics if t.terms[0][0] in THEMES["banking"]).topic_id
    trend = table.topics[banking]
    assert all(bucket.share <= 0.02 for bucket in trend.buckets[:5])
    assert all(bucket.share >= 0.3 for bucket in trend.buckets[5:])
    assert 0.2 <= trend.share <= 0.45


def test_shares_round_trip_through_json():
    rng = np.random.default_rng(3)
    shares = TopicShares(topic_count=3, from_timestamp=0.0, to_timestamp=100.0, buckets=7)
    shares.add(rng.integers(-1, 3, 500), rng.uniform(-10, 110, 500))
    restored = TopicShares.from_dict(json.loads(json.dumps(shares.to_dict())))
    assert restored.shares() == shares.shares()
    # A job resumed from the saved state keeps counting where it left off.
    restored.add(np.array([0]), np.array([50.0]))
    assert restored.shares().topics[0].count == shares.shares().topics[0].count + 1
    state = shares.to_dict()
    state["counts"] = state["counts"][:-1]
    with pytest.raises(ValueError, match="saved counts have shape"):
        TopicShares.from_dict(state)


def test_shares_refuse_unknown_topics_and_mismatched_arrays():
    shares = TopicShares(topic_count=2, from_timestamp=0.0, to_timestamp=1.0)
    with pytest.raises(ValueError, match=r"topic ids must lie in \[-1, 1\]"):
        shares.add(np.array([2]), np.array([0.5]))
    with pytest.raises(ValueError, match="one length"):
        shares.add(np.array([0, 1]), np.array([0.5]))
    with pytest.raises(ValueError, match="end after it starts"):
        TopicShares(topic_count=2, from_timestamp=1.0, to_timestamp=1.0)
    empty = TopicShares(topic_count=2, from_timestamp=0.0, to_timestamp=1.0).shares()
    assert empty.total == 0 and all(topic.share == 0.0 for topic in empty.topics)


def test_a_model_survives_pickling_for_the_job_engine(three_themes):
    texts, _, model = three_themes
    restored = pickle.loads(pickle.dumps(model))
    assert restored == model
    np.testing.assert_array_equal(restored.assign(texts)[0], model.assign(texts)[0])


def test_word_pairs_never_span_a_stop_word():
    from driftline_server.monitoring.reports.topics import _Terms

    terms = _Terms("english")("A refund for the double charge, twice")
    assert terms == ["refund", "double", "charge", "twice", "double charge", "charge twice"]
    assert _Terms("italian")("il rimborso della doppia spesa") == [
        "rimborso", "doppia", "spesa", "doppia spesa"]
