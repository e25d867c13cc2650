"""The message template (.pot): every string of the content and of the templates, with its place and a comment.

Content strings carry a stable id as msgctxt (``people.zhu.position``,
``concept-note.objectives.the-overarching-objective-of-2f0c…``, named by its
content or by the author's ``{#id}``); template strings are plain gettext
calls, found by Jinja's extractor. The content's strings are given by the
caller (``sources.catalog_source``): this module knows texts, not the
event's models.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from babel.messages.catalog import Catalog
from babel.messages.extract import extract as extract_messages

from ..content.text import Text
from ..errors import Problem, TemplateError, relative
from ..files import atomic_write
from ..project import BUILTIN_TEMPLATES, Project
from .po import new_catalog, po_text, settle_flags

#: Comments translators see in Poedit next to each kind of string.
_COMMENTS = [
    (re.compile(r"^people\.[^.]+\.name$"), "Name of a person: write it in Lao script as the person writes it."),
    (re.compile(r"^honorific$"), "Honorific before a person's name."),
    (re.compile(r"^people\.[^.]+\.position$"), "A person's position, as printed after their name."),
    (re.compile(r"\.abbreviation$"), "Abbreviation of an organization; keep the English one if Lao documents use it."),
    (re.compile(r"^recommendations\..*\.proposed$"), "Proposed recommendation read out by the moderator in the decision-making session."),
    (re.compile(r"^recommendations\..*\.confirmed$"), "Recommendation as confirmed after discussion."),
    (re.compile(r"\.title$"), "A title or heading."),
    (re.compile(r"^concept-note\."), "Concept note prose (Markdown: keep *emphasis*, [links](…) and {placeholders})."),
]

TEMPLATE_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}

#: One template string as Jinja's extractor finds it: msgid, msgctxt, places (file, line) and comments.
TemplateMessage = tuple[str | tuple[str, ...], str | None, list[tuple[str, int]], list[str]]


@dataclass(frozen=True)
class CatalogSource:
    """What an event's catalogs are made of.

    Its title (named in every header), the translatable texts of its content in document order, and the
    languages it keeps a catalog for.
    """

    title: str
    texts: Sequence[Text]
    languages: tuple[str, ...]


def comment_for(context: str) -> str:
    """Return the translator comment for a content string's id."""
    for pattern, comment in _COMMENTS:
        if pattern.search(context):
            return comment
    return ""


def template_messages(template_dirs: list[Path], root: Path, memo: dict | None = None) -> list[TemplateMessage]:
    """Extract gettext calls from the templates: (msgid, context, locations, comments).

    ``memo``: a dict a long-lived process keeps (the decision session's parses): each template's calls are
    kept there by its text, so that a save does not extract the templates again. A speed device:
    bench/devices.py ("template strings kept") measures what it saves.
    """
    found: list[TemplateMessage] = []
    seen: set[str] = set()
    for directory in template_dirs:
        for path in sorted(directory.glob("*.html")):
            if path.name in seen:  # a project's own template replaces the built-in one
                continue
            seen.add(path.name)
            try:
                text = path.read_bytes()
                key = (f"extracted:{path}", text)
                messages = memo[key] if memo is not None and key in memo else extracted(text)
                if memo is not None and key not in memo:
                    for old in [k for k in memo if k[0] == key[0]]:  # the template's earlier texts
                        del memo[old]
                    memo[key] = messages
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(Problem(template_reference(path, root), exc.lineno,
                                            f"template syntax error: {exc.message}",
                                            "fix the template tag on this line")) from None
            for lineno, message, comments, context in messages:
                found.append((message, context, [(template_reference(path, root), lineno)], comments))
    return found


def extracted(template: bytes) -> tuple[tuple[int, str | tuple[str, ...], list[str], str | None], ...]:
    """The gettext calls of one template's text (Babel's Jinja extractor)."""
    # silent "false": Jinja's extractor would otherwise return nothing for a template it cannot
    # parse, and update would send all of its strings, translations and all, to the obsolete section.
    return tuple(extract_messages("jinja2", io.BytesIO(template), keywords=TEMPLATE_KEYWORDS, comment_tags=("Translators:",),
                         options={"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "true",
                                  "silent": "false"}))


def template_reference(path: Path, root: Path) -> str:
    """Name a template in a source reference: project-relative, or songphasa/templates/ for built-in ones.

    A built-in template is named the same wherever the package is installed.
    """
    if path.resolve().is_relative_to(BUILTIN_TEMPLATES.resolve()):
        return f"songphasa/templates/{path.resolve().relative_to(BUILTIN_TEMPLATES.resolve()).as_posix()}"
    return relative(path, root)


def build_template(source: CatalogSource, project: Project, memo: dict | None = None) -> Catalog:
    """Make the message template (.pot) from the content's texts and the templates (``memo``: see template_messages)."""
    catalog = new_catalog(source.title, locale=None)
    for text in source.texts:
        catalog.add(text.source, context=text.context, locations=[(text.file, text.line)],
                    auto_comments=[c for c in [comment_for(text.context)] if c])
    for message, context, locations, comments in template_messages(project.template_dirs, project.root, memo):
        existing = catalog.get(message, context)
        if existing is not None:
            existing.locations.extend(locations)
        else:
            catalog.add(message, context=context, locations=locations, auto_comments=comments)
    settle_flags(catalog)
    return catalog


def extract(source: CatalogSource, project: Project) -> Path:
    """Write locales/messages.pot; untouched when nothing changed."""
    catalog = build_template(source, project)
    atomic_write(project.pot_path, po_text(catalog, template=True))
    return project.pot_path
