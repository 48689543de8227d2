"""Saved pages and mail: ``.eml`` messages and ``.mht``/``.mhtml`` web archives.

Both are MIME messages. A saved web page (MHTML, what browsers write with
"Save page as… single file") holds the page's HTML as one part and its
address in ``Snapshot-Content-Location``; its title, outlet and date then
come from the page's own tags, like any web page. A mail (a newsletter, a
forwarded article) gives its subject as the title, its date as the
publication date and its sender's name as the outlet; its plain-text part
is preferred to its HTML one.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime

from .records import Problem

MIME_SUFFIXES = frozenset({".eml", ".mht", ".mhtml"})
WEB_ARCHIVES = frozenset({".mht", ".mhtml"})
# "Fwd: Re: headline" -> "headline"
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|fwd?|aw|wg)\s*:\s*)+", re.IGNORECASE)
# Senders that are a browser or a tool, not an outlet.
_NOT_OUTLETS = re.compile(r"saved by|blink|webkit|mozilla|no-?reply$", re.IGNORECASE)


def read_message(source: str, data: bytes, *, suffix: str = ".eml"):
    """One report from a MIME message, or a Problem naming the file."""
    from .ingest import RawReport  # ingest imports this module

    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # noqa: BLE001 - a broken message is bad input, never a crash
        return Problem(source, None, "bad-message", f"skipped: not a readable MIME message ({exc})")
    archive = suffix in WEB_ARCHIVES or bool(message.get("Snapshot-Content-Location"))
    html, text = _body(message, prefer_html=archive)
    if not (html or text or "").strip():
        return Problem(source, None, "empty", "skipped: the message has no text or HTML part")
    url = message.get("Snapshot-Content-Location") or message.get("Content-Location")
    report = RawReport(source=source, html=html if html and not text else None,
                       text=text if text else None, url=str(url) if url else None)
    if not archive:  # a page's own tags name it; a mail's headers do
        report.title = _subject(message)
        report.published = _date(message)
        report.outlet = _sender(message)
    return report


def _body(message: EmailMessage, *, prefer_html: bool) -> tuple[str | None, str | None]:
    """(html, text): the one part the report is read from, the other None."""
    order = ("html", "plain") if prefer_html else ("plain", "html")
    try:
        part = message.get_body(preferencelist=order)
    except Exception:  # noqa: BLE001 - a malformed structure: read what can be read
        part = None
    if part is None:
        return None, None
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset or a broken encoding
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return None, None
    return (content, None) if part.get_content_subtype() == "html" else (None, content)


def _subject(message: EmailMessage) -> str | None:
    subject = str(message.get("Subject") or "").strip()
    return _REPLY_PREFIX.sub("", subject).strip() or None


def _date(message: EmailMessage) -> str | None:
    value = message.get("Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value)).date().isoformat()
    except (TypeError, ValueError):
        return None


def _sender(message: EmailMessage) -> str | None:
    name, address = parseaddr(str(message.get("From") or ""))
    name = name.strip().strip('"')
    if name and not _NOT_OUTLETS.search(name):
        return name
    return None


__all__ = ["MIME_SUFFIXES", "read_message"]
