"""The LLM judge against a local HTTP server that speaks each provider's API shape: the request
it sends, the verdict it reads, what it records, and how it fails."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from driftline_server.monitoring.reports.judge import (
    PROVIDERS,
    SYSTEM_PROMPT,
    USER_PROMPT,
    JudgeError,
    JudgeVerdict,
    LlmJudge,
    parse_verdict,
    render_prompt,
)
from driftline_server.monitoring.reports.samples import RagSample

API_KEY = "sk-test-Judge0123456789SecretKeyXYZ"
SAMPLE = RagSample(
    sample_id="s-42",
    user_input="When was the Eiffel Tower completed?",
    contexts=("The Eiffel Tower was completed in 1889.", "It is 330 metres tall {braces}."),
    output="It was completed in 1889.",
    target="1889",
)
VERDICT = {
    "context_relevance": 0.9,
    "answer_relevance": 1,
    "groundedness": "0.8",
    "answer_correctness": 1.0,
    "explanation": "The answer is supported by the first passage.",
}


class Provider:
    """A fake provider: records each request and answers the next canned reply."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict, bytes]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                provider.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": json.loads(body),
                    }
                )
                status, headers, payload = provider.replies.pop(0)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def reply(self, payload, status=200, headers=None):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.replies.append((status, headers or {}, data))

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def provider(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    fake = Provider()
    yield fake
    fake.close()


def openai_reply(content, model="gpt-4o-mini-2024-07-18"):
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop"}],
    }


def anthropic_reply(content, model="claude-3-5-haiku-20241022"):
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": content}],
        "stop_reason": "end_turn",
    }


def gemini_reply(content, version="gemini-2.0-flash-001"):
    return {
        "candidates": [{"content": {"role": "model", "parts": [{"text": content}]},
                        "finishReason": "STOP"}],
        "modelVersion": version,
    }


def credentials(kind, url, **extra):
    return {"type": kind, "api_key": API_KEY, "endpoint_url": url, "api_version": ""} | extra


def assert_prompt_holds_the_sample(text):
    for piece in (SAMPLE.user_input, *SAMPLE.contexts, SAMPLE.output, SAMPLE.target):
        assert piece in text


def assert_good_verdict(verdict):
    assert verdict == JudgeVerdict(0.9, 1.0, 0.8, 1.0,
                                   "The answer is supported by the first passage.")


def assert_record(judge, provider_name, model, version, url):
    record = judge.record()
    assert record["provider"] == provider_name and record["model"] == model
    assert record["model_version"] == version
    assert record["temperature"] == 0
    assert record["prompt_templates"] == {"system": SYSTEM_PROMPT, "user": USER_PROMPT}
    assert record["endpoint_host"] == url.removeprefix("http://")
    assert API_KEY not in json.dumps(record) and API_KEY not in repr(judge)


def test_openai_chat_completions(provider):
    provider.reply(openai_reply(json.dumps(VERDICT)))
    judge = LlmJudge.from_credentials(credentials("OPENAI", provider.url), "gpt-4o-mini")
    assert judge.record()["model_version"] is None
    assert_good_verdict(judge.evaluate(SAMPLE))
    (request,) = provider.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == f"Bearer {API_KEY}"
    body = request["body"]
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert body["messages"][1]["role"] == "user"
    assert_prompt_holds_the_sample(body["messages"][1]["content"])
    assert_record(judge, "openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", provider.url)


def test_openai_base_url_with_v1_is_not_doubled(provider):
    provider.reply(openai_reply(json.dumps(VERDICT)))
    judge = LlmJudge.from_credentials(credentials("OPENAI", provider.url + "/v1/"), "m")
    judge.evaluate(SAMPLE)
    assert provider.requests[0]["path"] == "/v1/chat/completions"


def test_azure_openai_deployment(provider):
    provider.reply(openai_reply(json.dumps(VERDICT), model="gpt-4o-2024-08-06"))
    judge = LlmJudge.from_credentials(
        credentials("AZURE_OPENAI", provider.url, api_version="2024-10-21"), "judge-deployment")
    assert_good_verdict(judge.evaluate(SAMPLE))
    (request,) = provider.requests
    assert request["path"] == (
        "/openai/deployments/judge-deployment/chat/completions?api-version=2024-10-21")
    assert request["headers"]["api-key"] == API_KEY
    assert "authorization" not in request["headers"]
    body = request["body"]
    assert body["temperature"] == 0 and body["response_format"] == {"type": "json_object"}
    assert_prompt_holds_the_sample(body["messages"][1]["content"])
    assert_record(judge, "azure_openai", "judge-deployment", "gpt-4o-2024-08-06", provider.url)
    assert judge.record()["api_version"] == "2024-10-21"


def test_anthropic_messages(provider):
    fenced = f"Here is my evaluation:\n```json\n{json.dumps(VERDICT, indent=2)}\n```\n"
    provider.reply(anthropic_reply(fenced))
    judge = LlmJudge.from_credentials(credentials("ANTHROPIC", provider.url),
                                      "claude-3-5-haiku-latest")
    assert_good_verdict(judge.evaluate(SAMPLE))
    (request,) = provider.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["x-api-key"] == API_KEY
    assert request["headers"]["anthropic-version"] == "2023-06-01"
    body = request["body"]
    assert body["model"] == "claude-3-5-haiku-latest" and body["temperature"] == 0
    assert body["system"] == SYSTEM_PROMPT and body["max_tokens"] > 0
    assert body["messages"][0]["role"] == "user"
    assert_prompt_holds_the_sample(body["messages"][0]["content"])
    assert_record(judge, "anthropic", "claude-3-5-haiku-latest", "claude-3-5-haiku-20241022",
                  provider.url)


def test_google_generate_content(provider):
    provider.reply(gemini_reply(json.dumps(VERDICT)))
    judge = LlmJudge.from_credentials(
        credentials("EXTERNAL_INTEGRATION_GOOGLE_AI", provider.url), "gemini-2.0-flash")
    assert_good_verdict(judge.evaluate(SAMPLE))
    (request,) = provider.requests
    assert request["path"] == "/v1beta/models/gemini-2.0-flash:generateContent"
    assert request["headers"]["x-goog-api-key"] == API_KEY
    assert "key=" not in request["path"]
    body = request["body"]
    assert body["generationConfig"]["temperature"] == 0
    assert body["generationConfig"]["responseMimeType"] == "application/json"
    assert body["systemInstruction"] == {"parts": [{"text": SYSTEM_PROMPT}]}
    assert body["contents"][0]["role"] == "user"
    assert_prompt_holds_the_sample(body["contents"][0]["parts"][0]["text"])
    assert_record(judge, "google", "gemini-2.0-flash", "gemini-2.0-flash-001", provider.url)


def test_default_base_urls_and_hosts():
    hosts = {
        "OPENAI": "api.openai.com",
        "ANTHROPIC": "api.anthropic.com",
        "GOOGLE_AI": "generativelanguage.googleapis.com",
    }
    for kind, host in hosts.items():
        judge = LlmJudge.from_credentials({"type": kind, "api_key": API_KEY}, "m")
        assert judge.record()["endpoint_host"] == host
    assert set(PROVIDERS) == {"openai", "anthropic", "azure_openai", "google"}


def test_without_target_answer_correctness_is_none(provider):
    sample = RagSample("s-1", "q?", ("c",), "a")
    provider.reply(openai_reply(json.dumps(VERDICT | {"answer_correctness": None})))
    judge = LlmJudge.from_credentials(credentials("OPENAI", provider.url), "m")
    verdict = judge.evaluate(sample)
    assert verdict.answer_correctness is None and verdict.groundedness == 0.8
    assert "answer_correctness must be null" in provider.requests[0]["body"]["messages"][1][
        "content"]


def test_429_with_retry_after_is_retryable(provider):
    provider.reply({"error": {"message": "Rate limit reached", "type": "requests"}}, 429,
                   {"Retry-After": "7"})
    judge = LlmJudge.from_credentials(credentials("OPENAI", provider.url), "m")
    with pytest.raises(JudgeError) as caught:
        judge.evaluate(SAMPLE)
    error = caught.value
    assert error.retryable and error.retry_after == 7 and error.status == 429
    assert "Rate limit reached" in str(error) and "s-42" in str(error)
    assert API_KEY not in str(error)


def test_retries_wait_the_retry_after(provider):
    waits = []
    provider.reply({"type": "error", "error": {"type": "overloaded_error",
                                               "message": "Overloaded"}}, 529,
                   {"Retry-After": "3"})
    provider.reply({"error": {"message": "busy"}}, 503)
    provider.reply(anthropic_reply(json.dumps(VERDICT)))
    judge = LlmJudge.from_credentials(credentials("ANTHROPIC", provider.url), "m",
                                      max_attempts=3, sleep=waits.append)
    assert_good_verdict(judge.evaluate(SAMPLE))
    assert waits == [3.0, 2.0] and len(provider.requests) == 3


def test_retry_after_beyond_max_wait_is_raised_at_once(provider):
    waits = []
    provider.reply({"error": {"message": "slow down"}}, 429, {"Retry-After": "600"})
    judge = LlmJudge.from_credentials(credentials("OPENAI", provider.url), "m",
                                      max_attempts=5, sleep=waits.append)
    with pytest.raises(JudgeError) as caught:
        judge.evaluate(SAMPLE)
    assert caught.value.retry_after == 600 and waits == [] and len(provider.requests) == 1


def test_400_is_not_retryable_and_keeps_the_message(provider):
    provider.reply({"error": {"code": 400, "message": "API key not valid. Please pass a valid "
                                                      "API key.", "status": "INVALID_ARGUMENT"}},
                   400)
    judge = LlmJudge.from_credentials(credentials("GOOGLE_AI", provider.url), "gemini-x",
                                      max_attempts=3, sleep=lambda s: None)
    with pytest.raises(JudgeError) as caught:
        judge.evaluate(SAMPLE)
    error = caught.value
    assert not error.retryable and error.status == 400 and error.retry_after is None
    assert "API key not valid" in str(error) and "HTTP 400" in str(error)
    assert len(provider.requests) == 1


def test_the_key_never_reaches_an_error(provider):
    provider.reply({"error": {"message": f"Incorrect API key provided: {API_KEY}"}}, 401)
    judge = LlmJudge.from_credentials(credentials("OPENAI", provider.url), "m")
    with pytest.raises(JudgeError) as caught:
        judge.evaluate(SAMPLE)
    assert API_KEY not in str(caught.value) and "Incorrect API key" in str(caught.value)
    assert not caught.value.retryable


def test_unparseable_reply_is_a_clear_error(provider):
    provider.reply(openai_reply("I think the answer is quite good overall."))
    judge = LlmJudge.from_credentials(credentials("OPENAI", provider.url), "m",
                                      max_attempts=3, sleep=lambda s: None)
    with pytest.raises(JudgeError) as caught:
        judge.evaluate(SAMPLE)
    assert not caught.value.retryable
    assert "sample 's-42'" in str(caught.value) and "no JSON object" in str(caught.value)
    assert judge.record()["model_version"] == "gpt-4o-mini-2024-07-18"


def test_empty_reply_and_non_json_response(provider):
    provider.reply(gemini_reply("") | {"candidates": [{"finishReason": "SAFETY",
                                                       "content": {"parts": []}}]})
    provider.reply(b"<html>gateway</html>")
    judge = LlmJudge.from_credentials(credentials("GOOGLE_AI", provider.url), "m")
    with pytest.raises(JudgeError, match="no text for sample 's-42'.*SAFETY"):
        judge.evaluate(SAMPLE)
    with pytest.raises(JudgeError, match="not a JSON object") as caught:
        judge.evaluate(SAMPLE)
    assert not caught.value.retryable


def test_timeout_and_unreachable_are_retryable(provider):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts, never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        judge = LlmJudge.from_credentials(credentials("OPENAI", url), "m", timeout=0.3)
        with pytest.raises(JudgeError, match="no answer within 0.3 seconds") as caught:
            judge.evaluate(SAMPLE)
        assert caught.value.retryable
    finally:
        listener.close()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    judge = LlmJudge.from_credentials(credentials("OPENAI", f"http://127.0.0.1:{port}"), "m")
    with pytest.raises(JudgeError, match="cannot be reached") as caught:
        judge.evaluate(SAMPLE)
    assert caught.value.retryable


@pytest.mark.parametrize(
    "reply, expected",
    [
        (json.dumps(VERDICT), (0.9, 1.0, 0.8, 1.0)),
        ("```\n" + json.dumps(VERDICT) + "\n```", (0.9, 1.0, 0.8, 1.0)),
        ("Sure! {\"context_relevance\": 1.7, \"answer_relevance\": -0.2, \"groundedness\": "
         "\"80%\", \"answer_correctness\": 0.5, \"explanation\": \"ok\"} Hope it helps {x}.",
         (1.0, 0.0, 0.8, 0.5)),
        (json.dumps({"scores": {k: 0.5 for k in VERDICT if k != "explanation"},
                     "explanation": "nested"}), (0.5, 0.5, 0.5, 0.5)),
    ],
)
def test_parse_robustly(reply, expected):
    verdict = parse_verdict(reply, SAMPLE)
    assert (verdict.context_relevance, verdict.answer_relevance, verdict.groundedness,
            verdict.answer_correctness) == expected
    assert verdict.explanation


@pytest.mark.parametrize(
    "reply, words",
    [
        ("", "no JSON object"),
        ("[0.1, 0.2]", "no JSON object"),
        ('{"context_relevance": 0.5, "answer_relevance": true, "groundedness": 1, '
         '"answer_correctness": 1}', "lacks a number for answer_relevance"),
        ('{"context_relevance": 0.5, "answer_relevance": 1, "groundedness": "high", '
         '"answer_correctness": null}', "groundedness, answer_correctness"),
        ('{"context_relevance": NaN, "answer_relevance": 1, "groundedness": 1, '
         '"answer_correctness": 1}', "context_relevance"),
    ],
)
def test_parse_refuses(reply, words):
    with pytest.raises(JudgeError, match="sample 's-42'") as caught:
        parse_verdict(reply, SAMPLE)
    assert words in str(caught.value) and not caught.value.retryable


def test_prompt_renders_every_text():
    prompt = render_prompt(SAMPLE)
    assert "[1] The Eiffel Tower was completed in 1889." in prompt
    assert "[2] It is 330 metres tall {braces}." in prompt
    assert "(no passages were retrieved)" in render_prompt(RagSample("x", "q", (), "a"))


@pytest.mark.parametrize(
    "creds, words",
    [
        ({"type": "AWS", "role_arn": "arn:aws:iam::123456789012:role/x", "external_id": "e"},
         "'AWS' are not an LLM provider's"),
        ({"type": "AWS_COMPATIBLE", "access_key_id": "a", "secret_access_key": "s"},
         "not an LLM provider's"),
        ({"api_key": API_KEY}, "'unknown'"),
        ({"type": "OPENAI"}, "lack their api_key"),
        ({"type": "OPENAI", "api_key": "  "}, "lack their api_key"),
        ({"type": "AZURE_OPENAI", "api_key": API_KEY, "api_version": "2024-10-21"},
         "endpoint_url"),
        ({"type": "AZURE_OPENAI", "api_key": API_KEY,
          "endpoint_url": "https://r.openai.azure.com"}, "api_version"),
        ({"type": "ANTHROPIC", "api_key": API_KEY, "endpoint_url": "ftp://x"}, "http(s) URL"),
    ],
)
def test_from_credentials_refuses(creds, words):
    with pytest.raises(ValueError) as caught:
        LlmJudge.from_credentials(creds, "model")
    assert words in str(caught.value)
    assert API_KEY not in str(caught.value)


def test_from_credentials_needs_a_model():
    with pytest.raises(ValueError, match="model is required"):
        LlmJudge.from_credentials({"type": "OPENAI", "api_key": API_KEY}, " ")


def test_retry_after_as_seconds_or_http_date():
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime

    from driftline_server.monitoring.reports.judge import _retry_after

    assert _retry_after("12") == 12 and _retry_after("1.5") == 1.5 and _retry_after("-3") == 0
    assert _retry_after(None) is None and _retry_after("soon") is None
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 <= _retry_after(later) <= 30


def test_gemini_thought_parts_are_skipped_and_version_kept_on_bad_reply(provider):
    reply = gemini_reply("") | {"candidates": [{"content": {"parts": [
        {"text": "thinking about {it}", "thought": True}, {"text": json.dumps(VERDICT)}]}}]}
    provider.reply(reply)
    provider.reply({"modelVersion": "gemini-2.5-flash-002"})
    judge = LlmJudge.from_credentials(credentials("GOOGLE_AI", provider.url), "gemini-2.5-flash")
    assert_good_verdict(judge.evaluate(SAMPLE))
    with pytest.raises(JudgeError, match="no text"):
        judge.evaluate(SAMPLE)
    assert judge.record()["model_version"] == "gemini-2.5-flash-002"
