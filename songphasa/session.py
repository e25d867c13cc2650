"""One event project as a process keeps it: what it loaded and rendered, and what an edit makes stale.

A command keeps a Session for its run; `watch` (and `serve`) keep one for
all their rounds. Everything a long-lived process keeps between builds is
here, owned by one object, and what an edit invalidates is decided in one
place (:meth:`Session.stale`): the pages whose inputs did not change are
used again as they are, and give the same bytes as a whole build would.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from .cache import DocxCache, feed, file_hash, walk
from .content.event import EventContent
from .content.files import content_file
from .content.load import Parses
from .documents.pages import Page
from .files import ProjectLock
from .i18n.translations import Translations
from .project import Project
from .render.environment import Environment, listing
from .render.markdown import InlineMarkdown
from .write_docx.writer import Blocks

#: What the templates may read of the content that is made from the concept note's prose.
PROSE_NAMES = frozenset({"concept_note", "footnotes", "footnote_numbers", "prose_uses"})
#: The concept note's prose, the one content file whose edit need not reach every page.
PROSE_FILE = content_file("concept_note").path


class Session:
    """What a process keeps of one project between builds: its lock, loaded files, templates and pages."""

    def __init__(self, root: Path, *, lock: ProjectLock | None = None, rounds: bool = False,
                 output_link: bool = False) -> None:
        """Open the project in a folder; ``lock``: its lock, when the caller took it before (the command line).

        ``rounds``: the session will build again and again (`watch`, `serve`): it keeps the Word XML
        of the blocks it writes, so that a round writes only the blocks an edit changed.
        ``output_link``: the user allows output/ to be a link (--output-link): builds fill the folder it points to.
        """
        self.output_link = output_link
        self.project = Project.at(root)
        self.lock = lock or ProjectLock(self.project.root)
        self.docx = DocxCache(self.project.root)
        if rounds:
            self.docx.blocks = Blocks()
        self.markdown = InlineMarkdown()
        self.parses: Parses = {}  # each content file's parse, by path and text
        self.content: EventContent | None = None  # as the last build had them
        self.translations: Translations | None = None
        self.pages: dict[tuple[str, str], Page] = {}
        self.changed: set[str] | None = None  # paths changed since the last build (None: unknown, all)
        self._environment: tuple[tuple, Environment] | None = None
        self._templates: str | None = None  # the template files as the last build had them
        self._templates_now: str | None = None  # and as this build has them

    @property
    def root(self) -> Path:
        return self.project.root

    def note_changes(self, paths: Iterable[str]) -> None:
        """Hear which files changed (project-relative paths), as `watch` sees them."""
        if self.changed is not None:
            self.changed.update(paths)

    @property
    def only_catalogs_changed(self) -> bool:
        """Tell whether every file changed since the last build is a catalog (the content needs no reading)."""
        return self.content is not None and self.changed is not None and \
            all(path.startswith("locales/") and path.endswith(".po") for path in self.changed)

    def environment(self) -> Environment:
        """The Jinja environment of the project's templates (a new one when a template folder gains or loses a file)."""
        dirs = self.project.template_dirs
        key = listing(dirs)
        if self._environment is None or self._environment[0] != key:
            self._environment = (key, Environment(dirs))
        return self._environment[1]

    def stale(self, content: EventContent, translations: Translations) -> set[tuple[str, str]] | None:
        """Name the pages of the last build that an edit since may have changed (None: every page).

        A page changes when a template or the stylesheet changed, when
        content it can read changed, or when a translation it used changed.
        Everything in the content but the concept note's prose reaches every
        page (the helpers say names, dates and places); the prose reaches the
        pages whose templates read it (the environment notes what they read)
        and those that showed one of its texts.
        """
        old, self._templates_now = self.content, self._template_files()
        if old is None or self.translations is None or self._templates != self._templates_now:
            return None
        edited = {f.name for f in dataclasses.fields(old) if getattr(old, f.name) != getattr(content, f.name)}
        if edited - {"concept_note"} or old.footnote_numbers != content.footnote_numbers:
            return None
        changed = changed_keys(self.translations.lookups, translations.lookups)
        if changed is None:
            return None
        return {key for key, page in self.pages.items()
                if ("concept_note" in edited and (page.reads & PROSE_NAMES
                                                   or any(s.file == PROSE_FILE for s in page.segments)))
                or any((s.context, s.source[0] if isinstance(s.source, tuple) else s.source) in changed.get(page.lang, ())
                       for s in page.segments)}

    def keep(self, content: EventContent, translations: Translations, pages: dict[tuple[str, str], Page]) -> None:
        """Remember what a build loaded and rendered, for the next one."""
        self.content, self.translations, self.pages, self.changed = content, translations, pages, set()
        self._templates = self._templates_now or self._template_files()

    def forget(self) -> None:
        """Forget what the last build made (a failed build): the next one makes everything."""
        self.content, self.translations, self.pages, self.changed = None, None, {}, None

    def _template_files(self) -> str:
        digest = hashlib.sha256()
        for folder in self.project.template_dirs:
            for path in walk(folder):
                feed(digest, path.relative_to(folder).as_posix(), file_hash(path))
        return digest.hexdigest()


def changed_keys(old: Mapping[str, Mapping], new: Mapping[str, Mapping]) -> dict[str, set] | None:
    """The (msgctxt, msgid) keys whose translation changed, per language (None: the languages changed)."""
    if set(old) != set(new):
        return None
    return {lang: {key for key in old[lang].keys() | new[lang].keys() if old[lang].get(key) != new[lang].get(key)}
            for lang in new}
