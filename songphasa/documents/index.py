"""output/index.html: a link to every file a build (and `distribute`) made, with full titles in every language."""

from __future__ import annotations

from collections.abc import Mapping, Set

from babel import Locale
from markupsafe import Markup

from .. import write_html
from ..content.event import EventContent
from ..render.environment import Environment
from ..render.localizer import Localizer
from ..render.template import render_template
from .glossary import glossary_names
from .kinds import bilingual, made_by, per_language
from .pages import Assets, Lookups, Page

EXTENSIONS = ("html", "docx", "pdf")


def index_page(env: Environment, content: EventContent, pages: Mapping[tuple[str, str], Page], present: Set[str],
               lookups: Lookups, assets: Assets) -> bytes:
    """Make output/index.html: a link to every file of output/ (``present``), with full titles in every language.

    Documents in every language and format, the bilingual pages (the
    interpreters' pack) and their glossary, and the distribution's packs when
    they have been made.
    """
    source = content.event.settings.source_language
    # A source the templates are not written in (Lao) takes their labels from its catalog.
    loc = Localizer(source, source, dict(lookups.get(source, {})))
    env.translate_with(loc)

    def links(*names: str) -> list[dict]:
        return [{"href": name, "label": name.rsplit(".", 1)[1].upper()} for name in names if name in present]

    def both(msgid: str, langs: tuple[str, ...] = content.languages) -> dict[str, str]:  # a template string, in each
        return {lang: lookups.get(lang, {}).get((None, msgid)) or msgid for lang in langs}

    # A label the template shows in the source language leads back to its msgid, to be said in every language.
    msgids = {shown: msgid for (context, msgid), shown in lookups.get(source, {}).items() if context is None and shown}

    def every(shown: str) -> Markup:
        """A label of the page in every language of the event, each marked with its language."""
        said = both(msgids.get(shown, shown))
        return Markup(" / ").join(Markup('<span lang="{}">{}</span>').format(lang, text)
                                  for lang, text in said.items() if text and (lang == source or text != said[source]))

    def paired(kind_title: str | None, name: str, target: str) -> dict[str, str]:
        """A file made per booth pair, named in its two languages with the pair: "… (English – Thai)"."""
        pair = (source, target)
        titles = both(kind_title, pair) if kind_title else {lang: name for lang in pair}
        return {lang: f"{titles[lang]} ({' – '.join(Locale.parse(code).get_display_name(lang) or code for code in pair)})"
                for lang in pair}

    documents = []
    made = per_language(content)
    for kind in made:
        documents.append({"titles": {lang: pages[(kind.name, lang)].title for lang in content.languages},
                          "files": {lang: links(*(f"{kind.path(lang=lang)}.{ext}" for ext in EXTENSIONS))
                                    for lang in content.languages}})
    names = {lang: Locale.parse(lang).get_display_name(lang) for lang in content.languages}
    titles = {lang: " ".join(pages[(made[0].name, lang)].tree.find(".//h1").text_content().split())
              for lang in content.languages}
    others = []
    targets = [lang for lang in content.event.settings.languages if lang != source]
    for kind in bilingual(content):  # one per booth pair, each row named with its pair
        glossary = [f"{kind.folder}{name}" for name in glossary_names(content)] if kind.glossary else []
        for n, target in enumerate(targets):
            path = kind.path(suffix=f"-{target}" if n else "")
            own = [name for name in glossary if name.endswith((f"-{target}.csv", "/glossary.csv", ".tbx"))
                   and (n == 0 or name.endswith(f"-{target}.csv"))]  # the glossary of every language, and the pair's
            others.append({"titles": paired(kind.title, kind.name, target),
                           "files": links(*(f"{path}.{ext}" for ext in EXTENSIONS), *own)})
    for kind in made_by(content, "calendar"):  # the invitation, one per booth pair
        for n, target in enumerate(targets):
            path = kind.path(suffix=f"-{target}" if n else "")
            others.append({"titles": paired(kind.title, kind.name, target), "files": links(f"{path}.ics")})
    recipients = []
    if any(name.startswith("distribution/") for name in present):
        said = {lang: Localizer(lang, source, dict(lookups.get(lang, {}))) for lang in content.languages}
        for recipient in content.recipient_list().recipients:
            recipients.append({"names": {lang: said[lang].plain(recipient.name) for lang in content.languages},
                               "files": links(f"distribution/{recipient.id}.zip", f"distribution/{recipient.id}.eml")})
        recipients.append({"names": {source: "manifest"},
                           "files": links("distribution/manifest.csv", "distribution/manifest.json")})
    page = render_template(env, "index.html", dict(
        source_lang=source, lang=source, languages=content.languages, documents=documents, language_names=names,
        titles=titles, others=[o for o in others if o["files"]], recipients=recipients, notes=[], css=assets.css,
        fontface=assets.fontface(content.languages), event=content.event, plain=loc.plain, every=every))
    return write_html.page_bytes(write_html.finish_page(page, source, event_languages=content.languages))
