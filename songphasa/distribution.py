"""Make the addressed packs for the recipients: letter + documents, zipped, with a manifest.

``python build.py --release distribute`` reads top to bottom like this module:
load the event and its recipients → render the documents once and one letter
per recipient and language → refuse, before writing anything, while a
release would be refused (untranslated strings, failed checks) → make every
DOCX → convert all of them to PDF in one LibreOffice run → zip one pack per
recipient, draft one e-mail per recipient → write ``output/distribution/``
all at once, with a manifest of every file's size and SHA-256.

Everything is reproducible: two runs on the same input give the same bytes,
zips, e-mails and PDFs included. Zip entries carry a fixed time and mode;
LibreOffice stamps each PDF with the clock and a random document id, which
:func:`reproducible_pdf` replaces in place by fixed values of the same length
(the cross-reference offsets stay valid).
"""

from __future__ import annotations

import csv
import datetime as dt
import email.policy
import email.utils
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.lists import format_list
from lxml import html as lxml_html

from . import parity, write_html
from .errors import ReleaseError
from .formats import Formats
from .model import EventContent
from .pdf import make_pdfs, reproducible_pdf
from .progress import Progress, Silent as _Silent, progress_display
from .pipeline import Rendered, docx_settings, fixed_moment, load, page_assets, release_problems, render_all, write_tree
from .project import Project
from .files import atomic_write
from .session import Session
from .recipients import Recipient, RecipientList, letter_date, load_recipients, reply_date
from .render import Helpers, Localizer, Segment, make_environment, render_document
from .write_docx.writer import docx_bytes

LETTER = "letter"
#: The documents every pack holds, in both languages (the letter lists them in this order).
def pack_documents(content: EventContent) -> tuple[str, ...]:
    """The documents every recipient receives: the registry's, as the event chose them."""
    from .documents import per_language
    return tuple(k.name for k in per_language(content) if k.distribution)
FOLDER = "distribution"
MANIFEST_FIELDS = ("path", "bytes", "sha256")


# --- the result ---------------------------------------------------------------------------

@dataclass
class Distribution:
    """What distribute() wrote."""

    folder: Path
    recipients: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)


# --- the command ------------------------------------------------------------------------

def distribute(root: Path, *, progress: Progress | None = None, session: Session | None = None) -> Distribution:
    """Make every recipient's pack in output/distribution/, or refuse without writing anything."""
    session = session or Session(root)
    with session.lock():
        return _distribute(root, progress=progress)


def _distribute(root: Path, *, progress: Progress | None) -> Distribution:
    progress = progress or _Silent()
    project = Project.at(root)
    content, translations = load(project)
    recipients = load_recipients(content)

    enclosed = pack_documents(content)
    progress.stage("Rendering the documents and letters", len(enclosed) + len(recipients.recipients))
    rendered = render_all(project, content, translations, enclosed)
    progress.advance(len(enclosed))
    letters = render_letters(project, content, recipients, translations, progress=progress, rendered=rendered)

    problems = release_problems(project, content, translations,
                                missing_by_language(content, [*rendered.values(), *letters.values()]))
    if problems:
        raise ReleaseError(problems)

    progress.stage("Writing Word documents", len(letters) + 1)
    # Made once and copied into every pack.
    shared = {f"{document}-{lang}.docx": _docx(project, content, item) for (document, lang), item in rendered.items()}
    progress.advance()
    letter_docx = {}
    for (rid, lang), item in letters.items():
        letter_docx[f"{rid}/{LETTER}-{lang}.docx"] = _docx(project, content, item)
        progress.advance()

    pdfs = make_pdfs({**{f"shared/{n}": d for n, d in shared.items()}, **letter_docx},
                     fixed_moment(content), progress=progress, scratch=project.root)

    progress.stage("Packing", len(recipients.recipients))
    files: dict[str, bytes] = {}
    when = zip_time(content)
    for recipient in recipients.recipients:
        rid = recipient.id
        pack = {name: data for name, data in shared.items()}
        pack.update({name[:-5] + ".pdf": pdfs[f"shared/{name[:-5]}.pdf"] for name in shared})
        for lang in content.languages:
            pack[f"{LETTER}-{lang}.docx"] = letter_docx[f"{rid}/{LETTER}-{lang}.docx"]
            pack[f"{LETTER}-{lang}.pdf"] = pdfs[f"{rid}/{LETTER}-{lang}.pdf"]
        for name, data in pack.items():
            files[f"{rid}/{name}"] = data
        archive = zip_bytes({f"{rid}/{name}": data for name, data in pack.items()}, when)
        files[f"{rid}.zip"] = archive
        tree = letters[(rid, recipient.language or content.event.settings.languages[0])].tree
        files[f"{rid}.eml"] = eml_bytes(recipient, letter_subject(tree), letter_text(tree), f"{rid}.zip", archive,
                                        _letter_moment(recipients, content))
        progress.advance()
    files.update(manifest_files(files, content, recipients))

    progress.stage("Writing output/distribution", 1)
    folder = project.output / FOLDER
    folder.parent.mkdir(parents=True, exist_ok=True)
    write_tree(folder, files)
    folder.chmod(0o755)  # the staging folder was private; the packs are for sharing
    _link_from_index(project, content, translations)
    progress.advance()
    return Distribution(folder, [r.id for r in recipients.recipients], files)


def _link_from_index(project: Project, content: EventContent, translations: Any) -> None:
    """Rewrite output/index.html (when a build made one) so that it links the packs too."""
    from .pipeline import index_page
    index = project.output / "index.html"
    if not index.is_file():
        return
    present = {p.relative_to(project.output).as_posix() for p in project.output.rglob("*") if p.is_file()}
    atomic_write(index, index_page(project, content, render_all(project, content, translations), present,
                                   translations.lookups))


# --- rendering the letters ------------------------------------------------------------------

def render_letters(project: Project, content: EventContent, recipients: RecipientList, translations: Any, *,
                   progress: Progress | None = None, rendered: dict | None = None) -> dict[tuple[str, str], Rendered]:
    """Render every recipient's letter in every language, and check the languages' parity.

    The enclosures are named by their documents' own titles (``rendered``, made here when not given).
    """
    from .interpreters import document_label
    progress = progress or _Silent()
    enclosed = pack_documents(content)
    if rendered is None:
        rendered = render_all(project, content, translations, enclosed)
    env = make_environment(project.template_dirs)
    settings = content.event.settings
    css, _ = page_assets(project, content, ())
    faces = {lang: page_assets(project, content, (lang,))[1] for lang in content.languages}
    dated = letter_date(recipients, content)
    letters: dict[tuple[str, str], Rendered] = {}
    for recipient in recipients.recipients:
        for lang in content.languages:
            loc = Localizer(lang, settings.source_language, translations.lookups.get(lang, {}))
            fmt = Formats(lang, native_digits=settings.digits_for(lang), twelve_hour=settings.clock == "12-hour")
            extra = {
                "css": css, "fontface": faces[lang],
                "recipient": recipient, "recipients": recipients, "letter_date": dated,
                "values": _placeholders(content, recipients, loc, fmt),
                "enclosures": enclosed, "languages_said": languages_said(content.languages, lang),
                "enclosure_names": {name: document_label(rendered[(name, lang)].tree) for name in enclosed},
            }
            page = render_document(env, LETTER, content, loc, fmt, extra)
            tree = write_html.finish_page(page, lang, native=settings.digits_for(lang), event_languages=content.languages)
            letters[(recipient.id, lang)] = Rendered(LETTER, lang, tree, loc.used)
        parity.compare(f"{LETTER} to {recipient.id}",
                       {lang: write_html.article_of(letters[(recipient.id, lang)].tree) for lang in content.languages})
        progress.advance()
    return letters


def _placeholders(content: EventContent, recipients: RecipientList, loc: Localizer, fmt: Formats) -> dict[str, Any]:
    """The facts the letter's texts may name in {braces}, said in the letter's language."""
    event = content.event
    from .render import event_values
    helpers = Helpers(content, loc, fmt)
    values: dict[str, Any] = {
        "workshop": loc.text(event.short_title),
        "date": fmt.date(event.date, weekday=True),
        "time": helpers.zone_lines()[0][1],
        "reply_by": fmt.date(reply_date(recipients, content)),
    }
    return {**event_values(content, loc, fmt), **values}


def languages_said(languages: tuple[str, ...], lang: str) -> str:
    """Name the pack's languages in one language, its own first: "ລາວ ແລະ ອັງກິດ"."""
    ordered = sorted(languages, key=lambda code: code != lang)
    return format_list([Locale.parse(code).get_display_name(lang) for code in ordered], locale=lang)


def missing_by_language(content: EventContent, items: list[Rendered]) -> dict[str, list[Segment]]:
    """Collect the untranslated strings of rendered pages, once each, per target language."""
    from .counting import missing_segments  # counted as the build and --release count them
    return {lang: missing_segments(items, lang) for lang in content.event.settings.languages}


def letter_subject(tree: lxml_html.HtmlElement) -> str:
    """Return a rendered letter's subject as plain text (the e-mail's Subject)."""
    found = tree.find_class("subject-text")
    return " ".join(found[0].text_content().split()) if found else ""


def letter_text(tree: lxml_html.HtmlElement) -> str:
    """Return a rendered letter as plain text: one paragraph a block, numbered enclosures."""
    blocks = []
    for element in write_html.article_of(tree).iter("p", "li"):
        lines = _text_with_breaks(element)
        if element.tag == "li":
            lines = f"{element.getparent().index(element) + 1}. {lines}"
        blocks.append(lines)
    return "\n\n".join(blocks) + "\n"


def _text_with_breaks(element: lxml_html.HtmlElement) -> str:
    parts = [element.text or ""]
    for child in element.iterdescendants():
        if child.tag == "br":
            parts.append("\n")
        elif child.text and child.tag not in ("br",):
            parts.append(child.text)
        if child.tail:
            parts.append(child.tail)
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# --- DOCX and PDF ------------------------------------------------------------------------------

def _docx(project: Project, content: EventContent, item: Rendered) -> bytes:
    """Make one page's DOCX as a build does (pipeline.plan_output)."""
    title = " ".join(item.tree.findtext(".//title", default=LETTER).split())
    return docx_bytes(write_html.article_of(item.tree), reference=project.find_template_file("reference.docx"),
                      settings=docx_settings(content, item.lang, title))


def zip_time(content: EventContent) -> tuple[int, int, int, int, int, int]:
    """The time stamped on every zip entry (zip times have no zone; 1980 at the earliest)."""
    moment = fixed_moment(content)
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        moment = moment.astimezone(dt.timezone.utc)
    return max((moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second // 2 * 2),
               (1980, 1, 1, 0, 0, 0))


def _letter_moment(recipients: RecipientList, content: EventContent) -> dt.datetime:
    return dt.datetime.combine(letter_date(recipients, content), dt.time(0, 0),
                               tzinfo=ZoneInfo(content.event.timezone))


# --- zips, e-mails, manifest ---------------------------------------------------------------------

def zip_bytes(entries: dict[str, bytes], when: tuple[int, int, int, int, int, int]) -> bytes:
    """Zip files in name order with one fixed time and mode: the same entries give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system makes the zip
            info.external_attr = (0o100644 & 0xFFFF) << 16  # a regular file, rw-r--r--
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def eml_bytes(recipient: Recipient, subject: str, body: str, attachment_name: str, attachment: bytes,
              moment: dt.datetime) -> bytes:
    """Draft (never send) one e-mail: the letter as its text, the pack attached, no random parts."""
    digest = hashlib.sha256(b"\0".join([recipient.id.encode(), subject.encode(), body.encode(), attachment]))
    token = digest.hexdigest()
    message = EmailMessage(policy=email.policy.SMTP)
    if recipient.email:
        message["To"] = recipient.email
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(moment)
    message["Message-ID"] = f"<{token[:32]}.{recipient.id}@songphasa.invalid>"
    message["X-Unsent"] = "1"  # mail programs open it as a draft to send
    message.set_content(body, subtype="plain", charset="utf-8")
    message.add_attachment(attachment, maintype="application", subtype="zip", filename=attachment_name)
    message.set_boundary(f"=_songphasa_{token[32:56]}")
    return message.as_bytes()


def manifest_files(files: dict[str, bytes], content: EventContent, recipients: RecipientList) -> dict[str, bytes]:
    """List every file with its size and SHA-256, as CSV and JSON, sorted by path."""
    rows = [{"path": name, "bytes": len(files[name]), "sha256": hashlib.sha256(files[name]).hexdigest()}
            for name in sorted(files)]
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    summary = {
        "event": content.event.short_title.source,
        "event_date": content.event.date.isoformat(),
        "recipients_as_of": recipients.as_of.isoformat(),
        "letter_date": letter_date(recipients, content).isoformat(),
        "recipients": [r.id for r in recipients.recipients],
        "reproducible": "every file, PDFs, zips and e-mails included: the same input gives the same bytes",
        "files": rows,
    }
    return {"manifest.csv": table.getvalue().encode("utf-8"),
            "manifest.json": (json.dumps(summary, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}


__all__ = ["distribute", "Distribution", "progress_display", "render_letters", "reproducible_pdf", "zip_bytes",
           "eml_bytes", "manifest_files", "letter_text", "letter_subject"]
