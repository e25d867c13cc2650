"""Which links from content may stay in a document (HTML and DOCX alike)."""

from __future__ import annotations

from urllib.parse import urlsplit

URL_SCHEMES = {"http", "https", "mailto"}


def allowed_link(href: str) -> bool:
    """Tell whether a link from content may stay: an explicit http, https or mailto address.

    Anything else is refused by name, not by elimination: relative and
    absolute paths (../x, /etc/passwd), host-relative links (//host/x) and
    Windows shares (\\\\host\\share, which Word opens and so sends the user's credentials).
    """
    if any(c in href for c in "\\\x00\t\n\r") or href != href.strip():
        return False
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    if parts.scheme.lower() in ("http", "https"):
        return bool(parts.hostname) and href.lower().startswith(parts.scheme.lower() + "://")
    return parts.scheme.lower() == "mailto" and bool(parts.path)


__all__ = ["URL_SCHEMES", "allowed_link"]
