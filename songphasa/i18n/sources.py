"""What of an event is translated: every text of its content, and the extractor `pybabel` calls.

The one module of the package that reads the event's models for the
catalogs: the rest of it is given the texts (a :class:`CatalogSource`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel

from ..content.event import EventContent
from ..content.load import load_event
from ..content.markdown import MdSection
from ..content.text import Text
from ..errors import relative
from .extract import CatalogSource, comment_for


def walk_texts(node: Any) -> Iterator[Text]:
    """Yield every non-empty Text in a model, in document order."""
    if isinstance(node, Text):
        if node:
            yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from walk_texts(getattr(node, name))
    elif isinstance(node, MdSection):
        yield node.title
        for block in node.blocks:
            yield from (t for t in block.items if t)
    elif isinstance(node, dict):
        for value in node.values():
            yield from walk_texts(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from walk_texts(value)


def content_texts(content: EventContent) -> list[Text]:
    """Return every translatable content string of the event, in document order."""
    # Last, the distribution pack's addressees and letter (None: the event has no recipients).
    parts = [content.event, content.people, content.agenda, content.recommendations, content.concept_note,
             content.recipients, content.participants]
    return [t for part in parts for t in walk_texts(part) if t.translatable]


def catalog_source(content: EventContent) -> CatalogSource:
    """Return what the event's catalogs are made of: its title, its content's texts, its catalog languages."""
    return CatalogSource(content.event.short_title.source, content_texts(content),
                         content.event.settings.catalog_languages)


def babel_extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                  options: dict[str, Any]) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Extract content strings for `pybabel extract` (entry point `babel.extractors`: songphasa).

    Yields what Babel expects: (line, "pgettext", (msgctxt, msgid), comments), so
    `pybabel extract -F babel.cfg` gives the same entries as `python build.py extract`.
    """
    path = Path(getattr(fileobj, "name", "")).resolve()
    root = path.parent.parent  # content/<file> inside the event project
    # One code path with `build.py extract`: load the whole event, keep this file's strings.
    name = relative(path, root)
    for text in content_texts(load_event(root)):
        if text.file == name:
            comment = comment_for(text.context)
            yield text.line, "pgettext", (text.context, text.source), [comment] if comment else []
