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
:func:`pdf.reproducible_pdf` replaces in place by fixed values of the same length
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
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from .. import reproducible, write_html
from ..checks.release import release_problems
from ..content.crosscheck import letter_warnings
from ..documents.calendar import invitation
from ..content.event import EventContent
from ..content.files import content_file
from ..content.recipients import Recipient, RecipientList, letter_date
from ..documents.index import index_page
from ..documents.kinds import DocumentKind, made_by, per_language
from ..documents.letters import render_letters
from ..documents.pages import Lookups, Page, localizer, page_assets
from ..errors import Problem, ReleaseError
from ..files import atomic_write
from ..i18n.counting import missing_segments
from ..pipeline import event_moment, load, released_languages, render
from ..progress import Progress, Silent
from ..session import Session
from ..write_docx.writer import docx_bytes
from .pdf import make_pdfs
from .plan import docx_settings, print_docx
from .record import vouch
from .staging import refuse_link, write_tree

FOLDER = "distribution"
MANIFEST_FIELDS = ("path", "bytes", "sha256")


# --- the result ---------------------------------------------------------------------------

@dataclass
class Distribution:
    """What distribute() wrote."""

    folder: Path
    recipients: list[str] = field(default_factory=list)
    languages: tuple[str, ...] = ()  # the languages the packs carry, the source first
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # what the packs still lack, said but not refused


# --- the command ------------------------------------------------------------------------

def distribute(session: Session, *, release: bool | tuple[str, ...] = True,
               progress: Progress | None = None) -> Distribution:
    """Make every recipient's pack in output/distribution/, or refuse without writing anything.

    ``release``: the languages released (``--release lo``), or True for all. The
    packs carry the source and those languages only: a language still in
    progress neither blocks them nor goes out half translated.
    """
    with session.lock():
        return _distribute(session, release, progress or Silent())


def _distribute(session: Session, release: bool | tuple[str, ...], progress: Progress) -> Distribution:
    project = session.project
    content, translations = load(project, parses=session.parses)
    settings = content.event.settings
    released = released_languages(content, release)
    carried = tuple(lang for lang in content.languages if lang == settings.source_language or lang in released)
    checked = tuple(lang for lang in settings.catalog_languages if lang in carried)  # a Lao source's catalog too
    recipients = content.recipient_list()
    left_out = [r for r in recipients.recipients if letter_language(content, r) not in carried]
    recipients = recipients.model_copy(update={"recipients": [r for r in recipients.recipients if r not in left_out]})
    letter = made_by(content, "letters")[0]
    enclosed = tuple(kind.name for kind in per_language(content) if kind.distribution)
    calendar = any(kind.distribution for kind in made_by(content, "calendar"))  # the invitation goes too
    env, assets = session.environment(), page_assets(project, content)

    progress.stage("Rendering the documents and letters", len(enclosed) + len(recipients.recipients))
    pages = {key: page for key, page in render(session, content, translations, assets, enclosed).items()
             if key[1] in carried}
    progress.advance(len(enclosed))
    letters = render_letters(env, content, translations.lookups, letter, recipients, pages, assets, progress=progress,
                             languages=carried)
    missing = {lang: missing_segments([*pages.values(), *letters.values()], lang) for lang in checked}
    problems = release_problems(project, content, translations, missing, checked)
    if problems:
        raise ReleaseError(problems)

    progress.stage("Writing Word documents", len(letters) + 1)
    reference = project.find_template_file("reference.docx")

    kinds = {kind.name: kind for kind in per_language(content)}

    def docx(page: Page, kind: DocumentKind) -> bytes:
        return docx_bytes(page.article, reference=reference,
                          settings=docx_settings(content, page.lang, page.title, kind))
    shared = {f"{document}-{lang}.docx": docx(page, kinds[document])  # in every pack
              for (document, lang), page in pages.items()}
    # Each PDF from its own DOCX: the text as decided (the DOCX keeps Word's tracked changes), in the print fonts.
    printed: dict[str, bytes] = {}
    for (document, lang), page in pages.items():
        printed.update(print_docx(content, page, f"shared/{document}-{lang}", docx_bytes, reference, kinds[document],
                                  marked=False))
    progress.advance()
    letter_docx = {}
    for (rid, lang), page in letters.items():
        own = letter.path(lang=lang, recipient=rid)
        letter_docx[f"{own}.docx"] = docx(page, letter)
        printed.update(print_docx(content, page, own, docx_bytes, reference, letter, marked=False))
        progress.advance()
    pdfs = make_pdfs(printed, event_moment(content), progress=progress, scratch=project.root)

    progress.stage("Packing", len(recipients.recipients))
    files: dict[str, bytes] = {}
    when = reproducible.zip_date_time(event_moment(content))
    for recipient in recipients.recipients:
        rid = recipient.id
        pack = dict(shared)
        pack.update({name[:-5] + ".pdf": pdfs[f"shared/{name[:-5]}.pdf"] for name in shared})
        for lang in carried:
            own = letter.path(lang=lang, recipient=rid)
            pack[f"{own.rpartition('/')[2]}.docx"] = letter_docx[f"{own}.docx"]
            pack[f"{own.rpartition('/')[2]}.pdf"] = pdfs[f"{own}.pdf"]
        # The invitation in the recipient's pair of languages: the source and its letter's language.
        pair = tuple(dict.fromkeys((settings.source_language, letter_language(content, recipient))))
        ics = invitation(content, translations.lookups, pair) if calendar else None
        if ics is not None:
            pack["invitation.ics"] = ics
        for name, data in pack.items():
            files[f"{rid}/{name}"] = data
        archive = reproducible.zip_bytes(sorted((f"{rid}/{name}", data) for name, data in pack.items()), when, level=9)
        files[f"{rid}.zip"] = archive
        said_in = letter_language(content, recipient)
        tree = letters[(rid, said_in)].tree
        files[f"{rid}.eml"] = eml_bytes(recipient, letter_subject(tree), letter_text(tree), f"{rid}.zip", archive,
                                        letter_moment(recipients, content),
                                        sender=letter_sender(content, recipients, translations.lookups, said_in),
                                        calendar=ics)
        progress.advance()
    files.update(manifest_files(files, content, recipients, carried))

    progress.stage(f"Writing output/{FOLDER}", 1)
    refuse_link(project.output, session.output_link)
    folder = project.output / FOLDER
    folder.parent.mkdir(parents=True, exist_ok=True)
    write_tree(folder, files)  # output/distribution itself is never a link
    vouch(project.root, files["manifest.json"], FOLDER)  # a later build keeps these packs, and only these
    folder.chmod(0o755)  # the staging folder was private; the packs are for sharing
    index = project.output / "index.html"
    if index.is_file():  # a build made one: it links the packs now too
        present = {p.relative_to(project.output).as_posix() for p in project.output.rglob("*") if p.is_file()}
        atomic_write(index, index_page(env, content, render(session, content, translations, assets), present,
                                       translations.lookups, assets))
    progress.advance()
    return Distribution(folder, [r.id for r in recipients.recipients], files=files, languages=carried,
                        warnings=[*content.warnings, *letter_warnings(content), *after_the_decision(content, recipients),
                         *[not_released(r, letter_language(content, r)) for r in left_out]])


def letter_language(content: EventContent, recipient: Recipient) -> str:
    """The language a recipient reads: its own, else the event's first target language."""
    return recipient.language or content.event.settings.languages[0]


def not_released(recipient: Recipient, lang: str) -> Problem:
    """Say that a recipient's pack was not made: its language is not among those released."""
    return Problem(content_file("recipients").path, None,
                   f"no pack for {recipient.id}: its letter is in '{lang}', which this release leaves out",
                   f"release '{lang}' too (--release … {lang} distribute) once its catalog is complete", "warning")


def after_the_decision(content: EventContent, recipients: RecipientList) -> list[Problem]:
    """Warn when the packs would carry decisions the letter, dated before them, does not know of."""
    decided = [r.id for topic in content.recommendations.topics for r in topic.recommendations
               if r.status != "proposed"]
    if not decided or not any(kind.name == "recommendations" and kind.distribution for kind in per_language(content)):
        return []
    shown = ", ".join(decided[:3]) + (f" and {len(decided) - 3} more" if len(decided) > 3 else "")
    which = f"recommendation {shown} already has" if len(decided) == 1 else f"recommendations {shown} already have"
    return [Problem(content_file("recommendations").path, None,
                    f"{which} a decision recorded: the packs enclose the recommendations "
                    f"as decided, with the letter of {letter_date(recipients, content).isoformat()} that sends them "
                    "to be discussed", "send the packs made before the decision; after it, send the outcome report "
                    "instead", "warning")]


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
    parts: list[str] = []
    _collect_text(element, parts)
    # Only spaces collapse: a no-break space (ສປປ ລາວ, 09:00 ໂມງ) keeps its words together in a mail program too.
    lines = [" ".join(_SPACES.split(line)).strip(" ") for line in "".join(parts).split("\n")]
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


_SPACES = re.compile(r"[ \t\r\f\v]+")


def _collect_text(element: lxml_html.HtmlElement, parts: list[str]) -> None:
    """Add an element's text in reading order: its own text, each child's (and that child's tail), <br> a line break."""
    if element.tag == "br":
        parts.append("\n")
    else:
        parts.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):  # comments and processing instructions print nothing
                _collect_text(child, parts)
            parts.append(child.tail or "")


def letter_moment(recipients: RecipientList, content: EventContent) -> dt.datetime:
    """The date the e-mails carry: the letter's, at midnight in the event's zone."""
    return dt.datetime.combine(letter_date(recipients, content), dt.time(0, 0),
                               tzinfo=ZoneInfo(content.event.timezone))


# --- e-mails, manifest -------------------------------------------------------------------------

#: RFC 2047: a header line holding encoded words is at most 76 characters, so no encoded word passes 75.
#: The standard library folds to the policy's line length, which SMTP's 78 would let reach 76.
POLICY = email.policy.SMTP.clone(max_line_length=76)


def letter_sender(content: EventContent, recipients: RecipientList, lookups: Lookups,
                  lang: str) -> Address | None:
    """The e-mail's From: the letter's reply contact, named in the e-mail's language (None without an address)."""
    reply_to = recipients.letter.reply_to
    person = content.people.get(reply_to.person) if reply_to else None
    if person is None or not person.email:
        return None
    username, _, domain = person.email.rpartition("@")
    return Address(localizer(content, lookups, lang).text(person.name), username, domain)


def eml_bytes(recipient: Recipient, subject: str, body: str, attachment_name: str, attachment: bytes,
              moment: dt.datetime, *, sender: Address | None = None, calendar: bytes | None = None) -> bytes:
    """Draft (never send) one e-mail: the letter as its text, the pack attached (and the invitation), no random parts."""
    digest = hashlib.sha256(b"\0".join([recipient.id.encode(), subject.encode(), body.encode(), attachment]))
    token = digest.hexdigest()
    message = EmailMessage(policy=POLICY)
    if sender is not None:
        message["From"] = sender
    if recipient.email:
        message["To"] = recipient.email
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(moment)
    message["Message-ID"] = f"<{token[:32]}.{recipient.id}@songphasa.invalid>"
    message["X-Unsent"] = "1"  # mail programs open it as a draft to send
    message.set_content(body, subtype="plain", charset="utf-8")
    message.add_attachment(attachment, maintype="application", subtype="zip", filename=attachment_name)
    if calendar is not None:  # a mail program offers to add it to the calendar
        message.add_attachment(calendar, maintype="text", subtype="calendar", filename="invitation.ics",
                               params={"method": "PUBLISH", "charset": "utf-8"})
    message.set_boundary(f"=_songphasa_{token[32:56]}")
    return message.as_bytes()


def manifest_files(files: dict[str, bytes], content: EventContent, recipients: RecipientList,
                   carried: tuple[str, ...]) -> dict[str, bytes]:
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
        "languages": list(carried),
        "reproducible": "every file, PDFs, zips and e-mails included: the same input gives the same bytes",
        "files": rows,
    }
    return {"manifest.csv": table.getvalue().encode("utf-8"),
            "manifest.json": (json.dumps(summary, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}
