"""Keep the decision session's page catalogs in step with the pages: extract their strings, merge them in.

A maintainer's job, not a user's: run from the checkout's root after a string
of the session's pages (``songphasa/serve/templates``, ``_()`` and ``said()``;
``N_()`` in its Python) was added or changed::

    python -m tools.session_catalog          # update every songphasa/serve/locales/<lang>.po
    python -m tools.session_catalog km       # and start one for Khmer

Babel extracts the strings and merges them into each catalog as `update`
does for an event's: a translation is kept, a changed string comes back
fuzzy with its previous text, a string no page uses any more is dropped.
Then translate the new and fuzzy entries in a PO editor. tests/serve/test_labels.py
fails while an entry is missing or fuzzy.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from songphasa import languages
from songphasa.files import atomic_write
from songphasa.i18n.po import fixed_date, po_text, read_catalog

CHECKOUT = Path(__file__).resolve().parent.parent
PACKAGE = CHECKOUT / "songphasa" / "serve"
LOCALES = PACKAGE / "locales"
#: How the pages mark their strings: _("…") in the screen's language, said(lang, "…") in one column's, N_ in Python.
KEYWORDS = {"_": None, "said": (2,), "N_": None}
METHODS = [("templates/**.html", "jinja2"), ("*.py", "python")]
OPTIONS = {"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
HEADER = """\
# {name} translations of the decision session's pages (songphasa serve).
# Kept in step with the pages by `python -m tools.session_catalog`; translate here."""


def page_strings() -> Catalog:
    """The strings of the session's pages, with where each is used."""
    template = Catalog(project="Songphasa", version="1", charset="utf-8", creation_date=fixed_date(),
                       fuzzy=False)
    for file, line, msgid, comments, context in extract_from_dir(str(PACKAGE), method_map=METHODS,
                                                               keywords=KEYWORDS, options_map=OPTIONS):
        template.add(msgid, locations=[(f"songphasa/serve/{file}", line)], auto_comments=comments,
                     context=context, flags=("python-format",) if "%(" in msgid else ())
    return template


def update(lang: str) -> Path:
    """Merge the pages' strings into one language's catalog (started when it has none)."""
    path = LOCALES / f"{lang}.po"
    if path.is_file():
        catalog = read_catalog(path, CHECKOUT, locale=lang)
    else:
        catalog = Catalog(locale=lang, project="Songphasa", version="1", charset="utf-8",
                          header_comment=HEADER.format(name=languages.get(lang).name), creation_date=fixed_date(),
                          revision_date=fixed_date(), fuzzy=False)
    catalog.update(page_strings(), update_header_comment=False)
    catalog.obsolete.clear()
    catalog.revision_date = fixed_date()
    atomic_write(path, po_text(catalog))
    return path


def main(argv: list[str]) -> int:
    langs = sorted({p.stem for p in LOCALES.glob("*.po")} | set(argv))
    for lang in langs:
        path = update(lang)
        catalog = read_catalog(path, CHECKOUT, locale=lang)
        todo = [m for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"{path.relative_to(CHECKOUT)}: {len(todo)} of {len([m for m in catalog if m.id])} strings to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
