"""Messages for people: Slack, Discord and Teams webhooks, and e-mail, each in its own format,
all made of payloads' summary line, facts and explanation."""

from __future__ import annotations

from collections.abc import Mapping

from driftline_server.monitoring.actions.payloads import (
    event_facts,
    explanation_lines,
    summary_line,
)

# Colours by severity for the chat formats that have them (Discord embeds, Teams accents).
_SEVERITY_COLOURS = {"HIGH": 0xD32F2F, "MEDIUM": 0xF57C00, "LOW": 0xFBC02D}
_NO_SEVERITY_COLOUR = 0x607D8B
_TEAMS_COLOURS = {"HIGH": "Attention", "MEDIUM": "Warning", "LOW": "Accent"}
_TITLE = "Driftline detection event"


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _severity(event: Mapping) -> str:
    return str(event.get("severity") or "")


# -- Slack (incoming webhooks: text as the notification's fallback, Block Kit for the layout) ----

_SLACK_SECTION_LIMIT = 3000
_SLACK_HEADER_LIMIT = 150
_SLACK_FIELDS_LIMIT = 10  # Slack refuses a section with more fields


def _slack_escape(text: str) -> str:
    """Slack's mrkdwn reads &, < and > as markup (links, mentions): user text must not."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(event: Mapping, channel: str | None = None) -> dict:
    """A Slack incoming-webhook message: ``text`` (notifications, fallback) and ``blocks``."""
    summary = summary_line(event)
    facts = event_facts(event)
    blocks: list[dict] = [
        {"type": "header",
         "text": {"type": "plain_text", "text": _clip(f"{_TITLE}: {summary}",
                                                      _SLACK_HEADER_LIMIT)}},
        {"type": "section",
         "fields": [{"type": "mrkdwn", "text": _clip(f"*{label}*\n{_slack_escape(value)}", 2000)}
                    for label, value in facts[:_SLACK_FIELDS_LIMIT]]},
    ]
    if len(facts) > _SLACK_FIELDS_LIMIT:
        rest = "\n".join(f"*{label}:* {_slack_escape(value)}"
                         for label, value in facts[_SLACK_FIELDS_LIMIT:])
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": rest}]})
    explanation = explanation_lines(event)
    if explanation:
        text = "*Explanation*\n" + "\n".join(f"• {_slack_escape(line)}" for line in explanation)
        blocks.append({"type": "section",
                       "text": {"type": "mrkdwn", "text": _clip(text, _SLACK_SECTION_LIMIT)}})
    message: dict = {"text": _slack_escape(summary), "blocks": blocks}
    if channel:
        message["channel"] = channel
    return message


# -- Discord (webhooks: content plus one embed) -------------------------------------------------

_DISCORD_CONTENT_LIMIT = 2000
_DISCORD_TITLE_LIMIT = 256
_DISCORD_DESCRIPTION_LIMIT = 4096
_DISCORD_FIELD_VALUE_LIMIT = 1024


def discord_message(event: Mapping) -> dict:
    """A Discord webhook message: ``content`` (at most 2000 characters) and one embed."""
    summary = summary_line(event)
    embed: dict = {
        "title": _clip(_TITLE, _DISCORD_TITLE_LIMIT),
        "description": _clip("\n".join(explanation_lines(event)) or summary,
                             _DISCORD_DESCRIPTION_LIMIT),
        "color": _SEVERITY_COLOURS.get(_severity(event), _NO_SEVERITY_COLOUR),
        "fields": [{"name": label, "value": _clip(value, _DISCORD_FIELD_VALUE_LIMIT),
                    "inline": True} for label, value in event_facts(event)],
    }
    return {
        "content": _clip(summary, _DISCORD_CONTENT_LIMIT),
        "embeds": [embed],
        # Names typed by users (a task called "@everyone") must not ping a whole server.
        "allowed_mentions": {"parse": []},
    }


# -- Microsoft Teams (incoming webhooks and Workflows: a message with an Adaptive Card) ---------

def teams_message(event: Mapping) -> dict:
    """A Teams message carrying one Adaptive Card, as both the Workflows ("Post to a channel
    when a webhook request is received") and the older incoming webhooks accept."""
    summary = summary_line(event)
    body: list[dict] = [
        {"type": "TextBlock", "text": _TITLE, "weight": "Bolder", "size": "Medium",
         "color": _TEAMS_COLOURS.get(_severity(event), "Default")},
        {"type": "TextBlock", "text": summary, "wrap": True},
        {"type": "FactSet",
         "facts": [{"title": label, "value": value} for label, value in event_facts(event)]},
    ]
    explanation = explanation_lines(event)
    if explanation:
        body.append({"type": "TextBlock", "text": "Explanation", "weight": "Bolder"})
        body.extend({"type": "TextBlock", "text": line, "wrap": True, "spacing": "None"}
                    for line in explanation)
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "msteams": {"width": "Full"},
        "body": body,
    }
    return {
        "type": "message",
        "summary": summary,
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": None,
            "content": card,
        }],
    }


# -- E-mail -------------------------------------------------------------------------------------

def email_text(event: Mapping) -> str:
    """The plain-text body of a notification e-mail."""
    facts = event_facts(event)
    width = max((len(label) for label, _ in facts), default=0)
    lines = [summary_line(event), ""]
    lines += [f"{label + ':':<{width + 1}} {value}" for label, value in facts]
    explanation = explanation_lines(event)
    if explanation:
        lines += ["", "Explanation:"] + [f"  - {line}" for line in explanation]
    lines += ["", "Sent by Driftline: this detection event matched one of your rules."]
    return "\n".join(lines) + "\n"
