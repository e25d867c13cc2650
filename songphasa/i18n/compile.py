"""Compile a catalog for the documents: the .mo file, and the lookup they take translations from.

Fuzzy entries are left out, as msgfmt leaves them out; so is a translation
the documents cannot use as written (a template string that cannot be
%-formatted, a content string missing one of its {placeholders}): the
documents show its source text, marked, and the build names the entry's line.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo

from .. import languages
from ..files import atomic_write, holds
from .po import first, has_translation, is_template_string

#: Translations by (msgctxt, msgid), as the documents look them up.
Lookup = dict[tuple[str | None, str], str]

#: A content string's placeholder, matched loosely: a translated name ({ຊື່}) is one too (as the checks match it).
_BRACES = re.compile(r"\{[^{}\s]+\}")


def brace_placeholder_error(source: str, translation: str, source_lang: str) -> str | None:
    """Say why a content string's translation cannot be filled in like its source (None if it can).

    Every {name} of the source text must be there as often; a name the source lacks (a translated or
    broken one) would stop the build or print as it is written. The source is named by its language.
    """
    language = languages.get(source_lang).name
    want, have = _BRACES.findall(source), _BRACES.findall(translation)
    said = []
    for name in dict.fromkeys(want):
        if have.count(name) == 0:
            said.append(f"placeholder '{name}' is missing from the translation")
        elif have.count(name) != want.count(name):
            said.append(f"placeholder '{name}' appears {want.count(name)} time(s) in the {language} "
                        f"but {have.count(name)} in the translation")
    for name in dict.fromkeys(have):
        if name not in want:
            said.append(f"the translation has placeholder '{name}', which the {language} does not have")
    return "; ".join(said) or None


def percent_format_error(source: str, translation: str, *, names: bool = True) -> str | None:
    """Say why a template string's translation cannot be %-formatted like its source (None if it can).

    Jinja formats every template string with %, placeholders or not: a lone
    "100%" or a misspelt %(name)s would stop the build. With ``names=False`` a
    misspelt name is left to the placeholders check, which names it already.
    """
    known = set(re.findall(r"%\(([^)]*)\)", source))
    try:
        translation % {name: 0 for name in known}
    except KeyError as exc:
        if not names:
            return None
        language = languages.get(languages.TEMPLATE_LANGUAGE).name  # the templates' strings are written in it
        return f"the translation has the placeholder %({exc.args[0]})s, which the {language} text does not have"
    except (ValueError, TypeError):
        return "the translation has a % sign that is not a placeholder"
    return None


def unusable_translations(catalog: Catalog, source_lang: str) -> list[tuple[Message, str]]:
    """Return the translated entries the documents cannot use as written, and why.

    A template string whose translation cannot be %-formatted would stop the build; a content string
    (written in ``source_lang``) missing one of its {placeholders} would drop a date or a name from the
    page, or print a broken one. The documents show their source text, marked, and the build names each
    entry's line.
    """
    found = []
    for m in catalog:
        if not m.id or not has_translation(m):
            continue
        if is_template_string(m):
            strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
            ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
            reason = next((e for e in (percent_format_error(" ".join(ids), s) for s in strings if s) if e), None)
        elif "{" in first(m.id) or "{" in first(m.string):
            reason = brace_placeholder_error(first(m.id), first(m.string), source_lang)
        else:
            continue
        if reason:
            found.append((m, reason))
    return found


def compile_catalog(catalog: Catalog, mo_path: Path, unusable: list[tuple[Message, str]]) -> Lookup:
    """Compile a catalog to .mo (fuzzy entries left out, as msgfmt does) and load it back as the lookup.

    The entries of ``unusable`` (see :func:`unusable_translations`) are left out of the lookup.
    """
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    if not holds(mo_path, data):
        atomic_write(mo_path, data)
    compiled = read_mo(io.BytesIO(data))
    # write_mo fills an untranslated plural with the English: it is not a translation.
    not_usable = {(m.context, first(m.id)) for m in catalog
                  if isinstance(m.id, (tuple, list)) and not has_translation(m)}
    # A translation that cannot be filled in: the documents show its source text, marked.
    not_usable |= {(m.context, first(m.id)) for m, _ in unusable}
    lookup: Lookup = {}
    for message in compiled:
        if not message.id:
            continue
        context = message.context
        if isinstance(context, bytes):  # Babel's read_mo leaves msgctxt undecoded
            context = context.decode("utf-8")
        if isinstance(message.id, (tuple, list)):
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            if strings and strings[0] and (context, message.id[0]) not in not_usable:
                lookup[(context, message.id[0])] = strings[0]
        elif message.string and (context, message.id) not in not_usable:
            lookup[(context, message.id)] = first(message.string)
    return lookup
