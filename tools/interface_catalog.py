"""Ship the interface catalog: the built-in templates' strings, translated, from the sample event's catalogs.

A maintainer's job, not a user's: run from the checkout's root after the
sample's translations of the templates' labels changed::

    python -m tools.interface_catalog

It writes ``songphasa/locales/<lang>.po`` for every language of the sample's
``locales/``; `init` fills those strings into a new event's catalog. Give
another project folder and output folder to make them from elsewhere
(``python -m tools.interface_catalog PROJECT OUTPUT``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from songphasa import languages
from songphasa.files import atomic_write
from songphasa.i18n.po import fixed_date, is_template_string, po_text, read_catalog

CHECKOUT = Path(__file__).resolve().parent.parent

HEADER = """\
# {name} translations of the strings of Songphasa's built-in templates.
# `init {code}` fills them into a new event's catalog. Made from the sample
# event's catalog with `python -m tools.interface_catalog`; edit them there.
#"""


def interface_catalog(catalog: Catalog, lang: str) -> Catalog:
    """Make the shipped interface catalog from a complete catalog: its translated template strings."""
    shipped = Catalog(locale=lang, project="Songphasa", version="1",
                      header_comment=HEADER.format(name=languages.get(lang).name, code=lang),
                      last_translator=catalog.last_translator, language_team=catalog.language_team,
                      msgid_bugs_address="", charset="utf-8", creation_date=fixed_date(), revision_date=fixed_date(),
                      fuzzy=False)
    for message in catalog:
        strings = [message.string] if isinstance(message.string, str) else message.string or [""]
        if message.id and is_template_string(message) and "fuzzy" not in message.flags and all(strings):
            shipped[message.id] = Message(message.id, message.string, context=message.context,
                                          locations=[l for l in message.locations if l[0].startswith("songphasa/")],
                                          flags=set(message.flags))
    return shipped


def write_interface_catalogs(root: Path, output: Path) -> dict[Path, int]:
    """Write the interface catalog of every language of a project's locales/ into a folder; say how many strings."""
    written = {}
    for po in sorted(root.glob("locales/*/LC_MESSAGES/messages.po")):
        lang = po.parent.parent.name
        shipped = interface_catalog(read_catalog(po, root, locale=lang), lang)
        target = output / f"{lang}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, po_text(shipped))
        written[target] = len([m for m in shipped if m.id])
    return written


def main(argv: list[str]) -> int:
    """Refresh the shipped interface translations (from the sample by default)."""
    root = Path(argv[0]).resolve() if argv else CHECKOUT
    output = Path(argv[1]).resolve() if len(argv) > 1 else CHECKOUT / "songphasa" / "locales"
    for target, count in write_interface_catalogs(root, output).items():
        shown = target.relative_to(CHECKOUT).as_posix() if target.is_relative_to(CHECKOUT) else str(target)
        print(f"Wrote {shown} ({count} strings).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
