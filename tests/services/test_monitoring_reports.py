"""Task reports against a real server, through the client: a RAG evaluation of hand-made
samples whose scores are known in direction, its exports read back; a topic modelling report
of three clearly separate themes; bad ranges, non-RAG and non-text tasks refused; who may do
what."""

from __future__ import annotations

import csv
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import adjusted_rand_score

import driftline
from catalog_helpers import binary_task, column, raises
from data_helpers import START
from monitoring_helpers import make_rag_task
from driftline.catalog.v1 import task_pb2
from driftline.monitoring.v1 import reports_pb2

COMPLETE = reports_pb2.TASK_REPORT_STATE_COMPLETE
FAILED = reports_pb2.TASK_REPORT_STATE_FAILED
SEPARATOR = "\n---\n"
END = START + 10_000

# (question, the passage that answers it, the answer it supports, an unrelated passage)
FACTS = [
    ("When does the museum open on Sundays?",
     "The city museum opens at ten in the morning on Sundays and closes at six in the evening.",
     "The museum opens at ten in the morning on Sundays.",
     "Penguins huddle together in large colonies to survive the Antarctic winter."),
    ("How long is the warranty on the blender?",
     "Every blender we sell carries a two year warranty covering the motor and the jar.",
     "The blender has a two year warranty covering the motor and the jar.",
     "The recipe calls for three eggs, flour, sugar and a pinch of salt."),
    ("Which river flows through Florence?",
     "Florence lies on the Arno river, which crosses the city from east to west.",
     "The Arno river flows through Florence.",
     "Solar panels convert sunlight into electricity using photovoltaic cells."),
    ("What is the fee for a late payment?",
     "A late payment costs a fee of fifteen euros, added to the next monthly invoice.",
     "A late payment costs fifteen euros, added to the next invoice.",
     "The marathon route passes the cathedral and finishes in the main square."),
    ("How many days can a parcel be returned?",
     "Parcels can be returned within thirty days of delivery with the original receipt.",
     "You can return a parcel within thirty days of delivery with the receipt.",
     "Volcanic soil is rich in minerals and good for growing grapes."),
]
INVENTED = "Our spaceship departs from the lunar harbour every Tuesday with purple dragons aboard."
REFUSAL = "I'm sorry, but I cannot help with that request."


def _rag_samples() -> tuple[pa.Table, pa.Table, pa.Table, list[str]]:
    """Four kinds of sample per fact: a grounded answer, an invented one, an off-topic context
    (with a grounded answer to the question), a refusal."""
    ids, times, questions, contexts, answers, targets, kinds = [], [], [], [], [], [], []
    for repeat in range(4):
        for index, (question, passage, answer, unrelated) in enumerate(FACTS):
            for kind, context, output in (
                ("grounded", passage + SEPARATOR + unrelated, answer),
                ("invented", passage, INVENTED),
                ("off_topic", unrelated, answer),
                ("refusal", passage, REFUSAL),
            ):
                ids.append(f"{kind}-{repeat}-{index}")
                times.append(START + len(times))
                questions.append(question)
                contexts.append(context)
                answers.append(output)
                targets.append(answer)
                kinds.append(kind)
    inputs = pa.table({"sample_id": ids, "timestamp": times, "user_input": questions,
                       "retrieved_context": contexts})
    return (inputs, pa.table({"sample_id": ids, "answer": answers}),
            pa.table({"sample_id": ids, "expected_answer": targets}), kinds)


@pytest.fixture(scope="module")
def rag_task(owner, project_id):
    task_id, model_id = make_rag_task(owner, project_id, SEPARATOR)
    inputs, answers, targets, kinds = _rag_samples()
    owner.wait_job_completion(owner.add_historical_data(
        task_id, inputs, target=targets, predictions=[(model_id, answers)]))
    return task_id, model_id, kinds


@pytest.fixture(scope="module")
def rag_report(owner, rag_task):
    task_id, _, kinds = rag_task
    job_id = owner.compute_rag_evaluation_report(task_id, "hand-made", START, END)
    job = owner.wait_job_completion(job_id, max_wait_timeout=300)
    assert job.job_group == "compute_rag_evaluation_report"
    report = owner.get_rag_evaluation_reports(task_id)[0]
    samples = owner.read_task_report_samples(report.id)
    kind_of = {sample_id: sample_id.split("-")[0] for sample_id in
               samples.column("sample_id").to_pylist()}
    assert len(kind_of) == len(kinds)
    return report, samples, kind_of


def _mean_by_kind(samples: pa.Table, kind_of: dict, metric: str) -> dict[str, float]:
    values = samples.column(metric).to_numpy(zero_copy_only=False)
    kinds = np.array([kind_of[s] for s in samples.column("sample_id").to_pylist()])
    return {kind: float(np.nanmean(values[kinds == kind])) for kind in np.unique(kinds)}


def test_the_rag_report_is_complete_with_every_metric(rag_report, rag_task):
    report, samples, _ = rag_report
    assert report.status == COMPLETE and report.name == "hand-made"
    assert report.sample_count == samples.num_rows == len(rag_task[2])
    assert report.model_id == rag_task[1] and report.threshold == 0.5
    metrics = {m.metric: m for m in report.metrics}
    for name in ("context_relevance", "answer_relevance", "groundedness", "answer_correctness",
                 "answer_rouge_l", "output_tokens", "refusal"):
        assert name in metrics, name
        assert metrics[name].count > 0 and metrics[name].description
    scores = metrics["groundedness"]
    assert [q.level for q in scores.quantiles] == [0.1, 0.25, 0.5, 0.75, 0.9]
    assert sum(scores.histogram_counts) == scores.count
    assert scores.minimum <= scores.quantiles[2].value <= scores.maximum
    assert 0.0 <= scores.share_below_threshold <= 1.0


def test_grounded_answers_score_above_invented_ones(rag_report):
    _, samples, kind_of = rag_report
    grounded = _mean_by_kind(samples, kind_of, "groundedness")
    print("groundedness by kind:", grounded)
    assert grounded["grounded"] > 0.8 > 0.3 > grounded["invented"]
    correct = _mean_by_kind(samples, kind_of, "answer_correctness")
    assert correct["grounded"] > 0.9 and correct["invented"] < 0.2
    relevant = _mean_by_kind(samples, kind_of, "answer_relevance")
    assert relevant["grounded"] > relevant["invented"]


def test_an_off_topic_context_scores_low(rag_report):
    _, samples, kind_of = rag_report
    relevance = _mean_by_kind(samples, kind_of, "context_relevance")
    print("context relevance by kind:", relevance)
    assert relevance["off_topic"] < 0.1 < 0.3 < relevance["invented"]
    # The grounded samples' second context is unrelated: their mean lies between, their best
    # is the answering passage.
    best = _mean_by_kind(samples, kind_of, "best_context_relevance")
    assert best["grounded"] > relevance["grounded"] > relevance["off_topic"]


def test_refusals_are_detected(rag_report):
    _, samples, kind_of = rag_report
    refusals = dict(zip(samples.column("sample_id").to_pylist(),
                        samples.column("refusal").to_pylist(), strict=True))
    assert all(refusals[s] == (kind_of[s] == "refusal") for s in refusals)
    rate = next(m for m in rag_report[0].metrics if m.metric == "refusal")
    assert rate.share_below_threshold == pytest.approx(0.25) or rate.mean == pytest.approx(0.25)


def test_the_export_writes_csv_parquet_and_html(owner, rag_report, tmp_path):
    report, samples, _ = rag_report
    paths = owner.export_rag_evaluation_report(report.id, str(tmp_path), "eval.csv")
    assert sorted(paths) == ["html", "samples", "summary"]
    with open(paths["samples"], newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == samples.num_rows
    first = samples.slice(0, 1).to_pylist()[0]
    assert rows[0]["sample_id"] == first["sample_id"]
    assert float(rows[0]["groundedness"]) == pytest.approx(first["groundedness"])
    with open(paths["summary"], newline="") as handle:
        summary = {row["metric"]: row for row in csv.DictReader(handle)}
    means = {m.metric: m.mean for m in report.metrics}
    assert float(summary["groundedness"]["mean"]) == pytest.approx(means["groundedness"])
    page = open(paths["html"], encoding="utf-8").read()
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= len(report.metrics) - 1
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # self-contained

    parquet = owner.export_rag_evaluation_report(report.id, str(tmp_path / "pq"),
                                                 "eval", file_format="parquet")
    assert pq.read_table(parquet["samples"]).equals(samples)
    assert pq.read_table(parquet["summary"]).num_rows == len(report.metrics)
    with pytest.raises(ValueError, match="file_format"):
        owner.export_rag_evaluation_report(report.id, str(tmp_path), "eval.xlsx")


def test_a_report_is_idempotent_when_asked_again(owner, rag_task):
    task_id = rag_task[0]
    first = owner.compute_rag_evaluation_report(task_id, "again", START, END,
                                                request_id="same-request")
    second = owner.compute_rag_evaluation_report(task_id, "again", START, END,
                                                 request_id="same-request")
    assert first == second
    owner.wait_job_completion(first, max_wait_timeout=300)
    assert sum(r.name == "again" for r in owner.get_rag_evaluation_reports(task_id)) == 1


def test_bad_ranges_and_settings_are_refused(owner, rag_task):
    task_id = rag_task[0]
    with raises(grpc.StatusCode.INVALID_ARGUMENT, "TIME_RANGE_INVALID", "to_time"):
        owner.compute_rag_evaluation_report(task_id, "backwards", END, START)
    with raises(grpc.StatusCode.INVALID_ARGUMENT, "TIME_RANGE_INVALID", "to_time"):
        owner.compute_topic_modeling_report(task_id, "empty", START, START)
    with raises(grpc.StatusCode.INVALID_ARGUMENT, "INVALID_ARGUMENT", "report_name"):
        owner.compute_rag_evaluation_report(task_id, " ", START, END)
    with raises(grpc.StatusCode.INVALID_ARGUMENT, "INVALID_ARGUMENT", "threshold"):
        owner.compute_rag_evaluation_report(task_id, "t", START, END, threshold=1.5)
    with raises(grpc.StatusCode.INVALID_ARGUMENT, "INVALID_ARGUMENT", "max_topics"):
        owner.compute_topic_modeling_report(task_id, "t", START, END, min_topics=5,
                                            max_topics=3)
    with raises(grpc.StatusCode.INVALID_ARGUMENT, "INVALID_ARGUMENT", "judge"):
        owner.compute_rag_evaluation_report(task_id, "t", START, END, judge_model="gpt-4o")


def test_a_range_without_samples_fails_the_report_with_why(owner, rag_task):
    task_id = rag_task[0]
    job_id = owner.compute_rag_evaluation_report(task_id, "nothing", END, END + 100)
    with pytest.raises(driftline.JobFailureError):
        owner.wait_job_completion(job_id, max_wait_timeout=120)
    report = next(r for r in owner.get_rag_evaluation_reports(task_id) if r.name == "nothing")
    assert report.status == FAILED and "no samples" in report.failure_message
    with raises(grpc.StatusCode.FAILED_PRECONDITION, "TASK_REPORT_NOT_COMPLETE"):
        owner.read_task_report_samples(report.id)


def test_tasks_of_the_wrong_kind_are_refused(owner, project_id):
    tabular = binary_task(owner, project_id, name="tabular")
    with raises(grpc.StatusCode.FAILED_PRECONDITION, "TASK_NOT_RAG"):
        owner.compute_rag_evaluation_report(tabular, "r", START, END)
    with raises(grpc.StatusCode.FAILED_PRECONDITION, "TASK_NOT_TEXT"):
        owner.compute_topic_modeling_report(tabular, "t", START, END)


# -- the LLM judge ---------------------------------------------------------------------------


class _FakeOpenAi(BaseHTTPRequestHandler):
    """OpenAI's chat completions as the judge calls them: an invented answer is ungrounded."""

    seen: list[dict] = []
    delay = 0.0  # seconds before each answer: a slow provider

    def do_POST(self):  # noqa: N802 (http.server's name)
        time.sleep(type(self).delay)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "auth": self.headers["Authorization"],
                                "body": body})
        if body["model"] == "revoked":
            return self._answer(401, {"error": {"message": "Incorrect API key provided",
                                                "type": "invalid_request_error"}})
        prompt = body["messages"][-1]["content"]
        invented = "spaceship" in prompt
        scores = {"context_relevance": 0.9, "answer_relevance": 0.2 if invented else 0.9,
                  "groundedness": 0.0 if invented else 1.0, "answer_correctness": 0.5,
                  "explanation": "checked"}
        self._answer(200, {"id": "x", "object": "chat.completion",
                           "model": "gpt-judge-2026-11-01",
                           "choices": [{"index": 0, "finish_reason": "stop", "message": {
                               "role": "assistant", "content": json.dumps(scores)}}]})

    def _answer(self, status: int, reply: dict) -> None:
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def fake_openai():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_an_llm_judge_scores_and_is_recorded(owner, project_id, rag_task, fake_openai):
    task_id = rag_task[0]
    credentials_id = owner.create_llm_integration_credentials(
        "judge", False, project_id, "openai", "sk-test-secret", endpoint_url=fake_openai).credentials_id
    job_id = owner.compute_rag_evaluation_report(task_id, "judged", START, END,
                                                 judge_credentials_id=credentials_id,
                                                 judge_model="gpt-judge")
    owner.wait_job_completion(job_id, max_wait_timeout=300)
    report = next(r for r in owner.get_rag_evaluation_reports(task_id) if r.name == "judged")
    judge = report.judge
    assert (judge.provider, judge.model, judge.model_version) == (
        "openai", "gpt-judge", "gpt-judge-2026-11-01")
    assert judge.credentials_id == credentials_id and judge.temperature == 0.0
    assert judge.system_prompt and "{" in judge.user_prompt_template
    assert judge.endpoint_host == "127.0.0.1" or judge.endpoint_host.startswith("127.0.0.1")
    assert judge.judged_sample_count == report.sample_count and not judge.failed_sample_count
    calls = [c for c in _FakeOpenAi.seen if c["body"]["model"] == "gpt-judge"]
    assert len(calls) == report.sample_count
    assert all(c["auth"] == "Bearer sk-test-secret" and c["body"]["temperature"] == 0
               for c in calls)
    judged = {m.metric: m for m in report.judge_metrics}
    assert judged["judge_groundedness"].count == report.sample_count
    samples = owner.read_task_report_samples(report.id)
    kind_of = {s: s.split("-")[0] for s in samples.column("sample_id").to_pylist()}
    grounded = _mean_by_kind(samples, kind_of, "judge_groundedness")
    assert grounded["invented"] == 0.0 and grounded["grounded"] == 1.0
    # The local scores are there too, as in any report.
    assert {m.metric for m in report.metrics} >= {"groundedness", "context_relevance"}


def test_a_cancelled_job_fails_its_report_with_why(owner, project_id, rag_task, fake_openai):
    credentials_id = owner.create_llm_integration_credentials(
        "slow judge", False, project_id, "openai", "sk-slow", endpoint_url=fake_openai).credentials_id
    _FakeOpenAi.delay = 0.25  # 80 samples, four at a time: about five seconds of judging
    try:
        job_id = owner.compute_rag_evaluation_report(rag_task[0], "cancelled", START, END,
                                                     judge_credentials_id=credentials_id,
                                                     judge_model="gpt-judge")
        time.sleep(1.0)
        owner.cancel_job(job_id)
        with pytest.raises(driftline.JobFailureError):
            owner.wait_job_completion(job_id, max_wait_timeout=120)
    finally:
        _FakeOpenAi.delay = 0.0
    deadline = time.monotonic() + 30
    while True:
        report = next(r for r in owner.get_rag_evaluation_reports(rag_task[0])
                      if r.name == "cancelled")
        if report.status != reports_pb2.TASK_REPORT_STATE_PENDING or \
                time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert report.status == FAILED and "cancelled" in report.failure_message


def test_a_judge_that_answers_nothing_fails_the_report(owner, project_id, rag_task,
                                                        fake_openai):
    credentials_id = owner.create_llm_integration_credentials(
        "revoked judge", False, project_id, "openai", "sk-revoked", endpoint_url=fake_openai).credentials_id
    job_id = owner.compute_rag_evaluation_report(rag_task[0], "revoked", START, END,
                                                 judge_credentials_id=credentials_id,
                                                 judge_model="revoked")
    with pytest.raises(driftline.JobFailureError, match="LLM_JUDGE_UNUSABLE"):
        owner.wait_job_completion(job_id, max_wait_timeout=120)
    report = next(r for r in owner.get_rag_evaluation_reports(rag_task[0])
                  if r.name == "revoked")
    assert report.status == FAILED
    assert "scored none" in report.failure_message
    assert "Incorrect API key" in report.failure_message
    assert "sk-revoked" not in report.failure_message


def test_a_judge_needs_llm_credentials(owner, project_id, rag_task):
    with raises(grpc.StatusCode.FAILED_PRECONDITION, "INTEGRATION_CREDENTIALS_NOT_FOUND"):
        owner.compute_rag_evaluation_report(rag_task[0], "j", START, END,
                                            judge_credentials_id="0" * 32, judge_model="m")


# -- topic modelling -------------------------------------------------------------------------

THEMES = {
    "football": "match goal striker league referee penalty stadium coach season fans midfielder "
                "keeper transfer derby championship".split(),
    "cooking": "recipe oven garlic pasta sauce butter flour bake simmer onion tomato basil "
               "chef kitchen roast".split(),
    "banking": "account loan mortgage interest deposit credit transfer balance bank savings "
               "overdraft card statement branch fee".split(),
}
FILLER = "the a and of to in it is was for on with my this that".split()


def _theme_texts(count: int, seed: int = 7) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    names = list(THEMES)
    themes = [names[i % 3] for i in range(count)]
    texts = []
    for theme in themes:
        words = list(rng.choice(THEMES[theme], size=8)) + list(rng.choice(FILLER, size=6))
        rng.shuffle(words)
        texts.append(" ".join(words))
    return texts, themes


@pytest.fixture(scope="module")
def text_task(owner, project_id):
    task_id = owner.create_task(project_id, "tickets", [],
                                task_pb2.TASK_TYPE_CLASSIFICATION_MULTICLASS,
                                task_pb2.DATA_STRUCTURE_TEXT,
                                text_language=task_pb2.TEXT_LANGUAGE_ENGLISH,
                                optional_target=True)
    owner.add_data_schema(task_id, [
        column("sample_id", "ID", "STRING"), column("timestamp", "TIME_ID", "FLOAT"),
        column("text", "INPUT", "STRING"),
        column("label", "TARGET", "CATEGORICAL", nullable=True,
               possible_values=list(THEMES)),
    ])
    texts, themes = _theme_texts(600)
    # Banking appears only in the second half of the range: its share must move.
    keep = [i for i, theme in enumerate(themes) if theme != "banking" or i >= 300]
    texts, themes = [texts[i] for i in keep], [themes[i] for i in keep]
    ids = [f"t-{i:04d}" for i in keep]
    owner.wait_job_completion(owner.add_historical_data(task_id, pa.table({
        "sample_id": ids, "timestamp": [START + 10.0 * i for i in keep], "text": texts})))
    return task_id, dict(zip(ids, themes, strict=True))


@pytest.fixture(scope="module")
def topic_report(owner, text_task):
    task_id, _ = text_task
    job_id = owner.compute_topic_modeling_report(task_id, "themes", START, START + 6000,
                                                 min_topics=2, max_topics=8)
    job = owner.wait_job_completion(job_id, max_wait_timeout=300)
    assert job.job_group == "compute_topic_modeling_report"
    return owner.get_topic_modeling_report(owner.get_topic_modeling_reports(task_id)[0].id)


def test_the_topics_separate_three_themes(topic_report, text_task):
    report = topic_report.report
    _, theme_of = text_task
    assert report.status == COMPLETE and report.language == "english"
    assert len(report.topics) == 3, [t.label for t in report.topics]
    found = dict(zip(topic_report.sample_ids, topic_report.sample_topics, strict=True))
    assert set(found) == set(theme_of)
    ids = sorted(found)
    score = adjusted_rand_score([theme_of[i] for i in ids], [found[i] for i in ids])
    print(f"adjusted Rand index against the known themes: {score:.3f}")
    assert score >= 0.8
    for topic in report.topics:
        terms = {term.term for term in topic.terms}
        theme = max(THEMES, key=lambda name: len(terms & set(THEMES[name])))
        assert len(terms & set(THEMES[theme])) >= 5, (topic.label, theme)
        assert not terms & set(FILLER)  # stop words never make a topic
        assert topic.label and sum(t.weight for t in topic.terms) == pytest.approx(1.0)
    assert sum(t.sample_count for t in report.topics) + report.unassigned_sample_count == len(ids)
    assert report.candidates and report.coherence == max(c.coherence for c in report.candidates)


def test_a_topics_share_moves_over_time(topic_report):
    banking = next(t for t in topic_report.topics
                   if {"bank", "loan", "mortgage", "account"} & {x.term for x in t.terms})
    periods = list(banking.shares_over_time)
    assert len(periods) >= 4
    half = len(periods) // 2
    early = [p.share for p in periods[: half - 1] if p.sample_count or p.share == 0]
    assert max(early) < 0.05
    assert min(p.share for p in periods[half + 1:] if p.sample_count) > 0.2


def test_the_list_leaves_out_terms(owner, text_task, topic_report):
    listed = owner.get_topic_modeling_reports(text_task[0])[0]
    assert listed.id == topic_report.report.id
    assert [t.label for t in listed.topics] == [t.label for t in topic_report.topics]
    assert not any(t.terms for t in listed.topics)


ITALIAN_THEMES = {
    "calcio": "partita gol attaccante campionato arbitro rigore stadio allenatore tifosi "
              "squadra".split(),
    "cucina": "ricetta forno aglio pasta sugo burro farina cottura cipolla pomodoro".split(),
    "banca": "conto prestito mutuo interessi deposito credito bonifico saldo banca "
             "risparmi".split(),
}
ITALIAN_FILLER = "il la di che e in un per con non una sono del della nel questo".split()


def test_an_italian_task_is_modelled_with_italian_stop_words(owner, project_id):
    task_id = owner.create_task(project_id, "ticket italiani", [],
                                task_pb2.TASK_TYPE_CLASSIFICATION_MULTICLASS,
                                task_pb2.DATA_STRUCTURE_TEXT,
                                text_language=task_pb2.TEXT_LANGUAGE_ITALIAN,
                                optional_target=True)
    owner.add_data_schema(task_id, [
        column("sample_id", "ID", "STRING"), column("timestamp", "TIME_ID", "FLOAT"),
        column("testo", "INPUT", "STRING"),
        column("tema", "TARGET", "CATEGORICAL", nullable=True,
               possible_values=list(ITALIAN_THEMES)),
    ])
    rng = np.random.default_rng(11)
    names = list(ITALIAN_THEMES)
    themes = [names[i % 3] for i in range(300)]
    texts = [" ".join(rng.permutation(list(rng.choice(ITALIAN_THEMES[t], 8))
                                      + list(rng.choice(ITALIAN_FILLER, 8)))) for t in themes]
    ids = [f"it-{i:03d}" for i in range(300)]
    owner.wait_job_completion(owner.add_historical_data(task_id, pa.table({
        "sample_id": ids, "timestamp": [START + i for i in range(300)], "testo": texts})))
    owner.wait_job_completion(owner.compute_topic_modeling_report(task_id, "temi", START,
                                                                  START + 300, max_topics=6),
                              max_wait_timeout=300)
    details = owner.get_topic_modeling_report(
        owner.get_topic_modeling_reports(task_id)[0].id)
    assert details.report.language == "italian" and len(details.topics) == 3
    terms = {t.term for topic in details.topics for t in topic.terms}
    assert not {word for term in terms for word in term.split()} & set(ITALIAN_FILLER)
    found = dict(zip(details.sample_ids, details.sample_topics, strict=True))
    score = adjusted_rand_score(themes, [found[i] for i in ids])
    print(f"adjusted Rand index, Italian themes: {score:.3f}")
    assert score >= 0.8


# -- who may do what -------------------------------------------------------------------------


def test_viewers_read_and_users_compute(company, project_id, rag_task, rag_report, owner):
    task_id = rag_task[0]
    report_id = rag_report[0].id
    viewer = company.member("COMPANY_USER", {project_id: "PROJECT_VIEW"})
    assert viewer.get_rag_evaluation_report(report_id).id == report_id
    assert viewer.read_task_report_samples(report_id).num_rows == rag_report[1].num_rows
    with raises(grpc.StatusCode.PERMISSION_DENIED, "PROJECT_ROLE_REQUIRED"):
        viewer.compute_rag_evaluation_report(task_id, "no", START, END)
    user = company.member("COMPANY_USER", {project_id: "PROJECT_USER"})
    user.wait_job_completion(user.compute_topic_modeling_report(task_id, "questions", START,
                                                                END, max_topics=4),
                             max_wait_timeout=300)
    stranger = company.member("COMPANY_USER")
    with raises(grpc.StatusCode.PERMISSION_DENIED, "PROJECT_ROLE_REQUIRED"):
        stranger.get_rag_evaluation_reports(task_id)


def test_another_company_sees_nothing(other_company, rag_task, rag_report, topic_report):
    report_id = rag_report[0].id
    with raises(grpc.StatusCode.NOT_FOUND, "RAG_EVALUATION_REPORT_NOT_FOUND"):
        other_company.get_rag_evaluation_report(report_id)
    with raises(grpc.StatusCode.NOT_FOUND, "TASK_REPORT_NOT_FOUND"):
        other_company.read_task_report_samples(report_id)
    with raises(grpc.StatusCode.NOT_FOUND, "TASK_NOT_FOUND"):
        other_company.get_rag_evaluation_reports(rag_task[0])
    with raises(grpc.StatusCode.NOT_FOUND, "TASK_NOT_FOUND"):
        other_company.compute_rag_evaluation_report(rag_task[0], "x", START, END)
    with raises(grpc.StatusCode.NOT_FOUND, "TOPIC_MODELING_REPORT_NOT_FOUND"):
        other_company.get_topic_modeling_report(topic_report.report.id)


def test_a_report_of_one_kind_is_not_found_as_the_other(owner, rag_report):
    with raises(grpc.StatusCode.NOT_FOUND, "TOPIC_MODELING_REPORT_NOT_FOUND"):
        owner.get_topic_modeling_report(rag_report[0].id)


def test_nothing_is_left_half_written(server, rag_report):
    """Only whole per-sample tables are in the storage: no .partial file stays."""
    left = [name for root, _, files in os.walk(server.data_dir) for name in files
            if name.endswith(".partial")]
    assert not left


def test_finishing_a_report_is_internal(owner, rag_report):
    """FinishTaskReport is the job's: a user's key is refused and the report stays as it is."""
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb

    report = rag_report[0]
    with raises(grpc.StatusCode.PERMISSION_DENIED, "INTERNAL_METHOD"):
        owner.stubs.call(owner.stubs.monitoring.FinishTaskReport, pb.FinishTaskReportRequest(
            report_id=report.id, state=FAILED, failure_message="no"))
    assert owner.get_rag_evaluation_report(report.id).status == COMPLETE


def test_the_reports_are_listed_newest_first_a_page_at_a_time(owner, rag_task, rag_report):
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb

    task_id = rag_task[0]
    owner.wait_job_completion(owner.compute_rag_evaluation_report(task_id, "paged", START, END),
                              max_wait_timeout=300)
    every = owner.get_rag_evaluation_reports(task_id)
    assert len(every) >= 3 and every[0].name == "paged"
    times = [r.creation_datetime for r in every]
    assert times == sorted(times, reverse=True)
    pages, token = [], ""
    while True:
        response = owner.stubs.call(owner.stubs.monitoring.ListRagEvaluationReports,
                                         pb.ListRagEvaluationReportsRequest(
                                             task_id=task_id, page_size=2, page_token=token))
        assert len(response.reports) <= 2
        pages += [r.info.id for r in response.reports]
        token = response.next_page_token
        if not token:
            break
    assert pages == [r.id for r in every]
    with raises(grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", "page_token"):
        owner.stubs.call(owner.stubs.monitoring.ListTopicModelingReports,
                              pb.ListTopicModelingReportsRequest(task_id=task_id,
                                                                 page_token="bm90IGEgdG9rZW4="))
