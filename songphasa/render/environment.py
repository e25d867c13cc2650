"""The Jinja environment of a project: its templates before the built-in ones, sandboxed, compiled once.

A project folder may come from someone else, and its templates are code:
they run in Jinja's sandbox, which refuses what reaches beyond the values a
template is given, and the loader reads a project's own template only as a
regular file inside the project. Compiled templates are kept in the user's
cache folder, sealed, never in a project.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from ..cache import read_sealed, user_cache_dir, write_sealed
from ..content.text import unholdable_character
from ..errors import Problem, TemplateError
from ..files import check_input
from ..project import BUILTIN_TEMPLATES
from ..write_html import css_string
from .template import template_name

if TYPE_CHECKING:
    from .localizer import Localizer


class CheckedLoader(jinja2.FileSystemLoader):
    """Load templates, refusing a project's file that is not its own regular file, or a character Word cannot hold."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            candidate = Path(folder, *split_template_path(template))
            if os.path.lexists(candidate):
                if Path(folder).resolve() != BUILTIN_TEMPLATES.resolve():
                    check_input(candidate, Path(folder).parent)  # a project's own: a regular file in the project
                break
        source, filename, uptodate = super().get_source(environment, template)
        for number, line in enumerate(source.split("\n"), start=1):  # splitlines() would cut at \x0b
            bad = unholdable_character(line)
            if bad:
                raise TemplateError(Problem(template_name(filename, template), number,
                                            f"invisible control character {bad} that Word documents cannot hold",
                                            "delete it from the template"))
        return source, filename, uptodate


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in the user's own cache folder, each entry sealed (cache.seal).

    Jinja's bytecode is pickle and marshal data, which runs code when read:
    it is never read from a project folder, and a user-folder entry that is
    not sealed by this user is ignored and compiled again.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = read_sealed(self._path(bucket), bucket.key)
        if data is not None:
            bucket.load_bytecode(io.BytesIO(data))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        write_sealed(self._path(bucket), bucket.key, buffer.getvalue())


#: The most characters or items one operation of a template may make, and the most bits of a power.
MAX_MADE = 1_000_000
MAX_POWER_BITS = 100_000


class Environment(SandboxedEnvironment):
    """Jinja's sandbox, noting which attributes of one object (the event's content) the templates read.

    What a page read decides whether an edit of the content can change it
    (session.Session.stale): the templates reach the content only through
    the sandbox's ``getattr`` and ``getitem``, so nothing they read escapes the note.
    """

    def __init__(self, template_dirs: list[Path], *, compiled: Path | None = None) -> None:
        super().__init__(
            loader=CheckedLoader([str(d) for d in template_dirs]),
            bytecode_cache=SealedBytecodeCache(compiled or user_cache_dir() / "jinja"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.policies["ext.i18n.trimmed"] = True
        self.filters["css_string"] = css_value
        self.globals.pop("lipsum", None)  # lipsum(10000000) ran for minutes; no document needs placeholder text
        self.template_dirs = list(template_dirs)
        self._watched: object | None = None
        self._reads: set[str] = set()

    def translate_with(self, loc: Localizer) -> None:
        """Make the templates' _(), ngettext() and pgettext() say their labels in the localizer's language."""
        self.install_gettext_callables(  # type: ignore[attr-defined]  # added by the jinja2.ext.i18n extension
            loc.gettext, loc.ngettext, newstyle=True, pgettext=loc.pgettext)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """The sandbox's rule, and one of ours: nothing a template reads may be a path (it could read or write files).

        A template of a received project is untrusted: the values it is given
        are text, numbers, dates, lists, mappings and the content's models;
        a path among them (the project's folder) is refused, and so is
        everything reached through one.
        """
        if isinstance(obj, PurePath) or isinstance(value, PurePath):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    #: The sandbox hands these operators to call_binop: "x" * 400000000 took 2 GB, 9 ** 9999999 minutes.
    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse an operation whose result would be larger than any page needs (a template's memory or time bomb)."""
        if operator == "*":
            for many, times in ((left, right), (right, left)):
                if isinstance(many, (str, list, tuple)) and isinstance(times, int) and len(many) * times > MAX_MADE:
                    raise SecurityError(f"a repetition would make {len(many) * times:,} items, more than the "
                                        f"{MAX_MADE:,} a template may make")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 \
                and right * abs(left).bit_length() > MAX_POWER_BITS:
            raise SecurityError(f"a power would have more than {MAX_POWER_BITS:,} bits")
        elif operator == "%" and isinstance(left, str) and re.search(r"%[-+ #0]*(\d{7,}|\*)", left):
            raise SecurityError("a format would pad to more than a million characters")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if obj is self._watched:
            self._reads.add(attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if obj is self._watched and isinstance(argument, str):
            self._reads.add(argument)
        return super().getitem(obj, argument)

    @contextmanager
    def noting_reads(self, watched: object) -> Iterator[set[str]]:
        """Give the set that fills, while the block runs, with the names of ``watched`` the templates read."""
        outer = self._watched, self._reads
        self._watched, self._reads = watched, set()
        try:
            yield self._reads
        finally:
            self._watched, self._reads = outer


def listing(template_dirs: list[Path]) -> tuple:
    """What decides whether an environment still serves: the folders and the names in them."""
    return tuple((str(d), tuple(sorted(os.listdir(d))) if os.path.isdir(d) else ()) for d in template_dirs)


def css_value(text: str) -> Markup:
    """A template's filter: a text as a CSS string (a font name in a style attribute)."""
    return Markup(css_string(" ".join(str(text).split())))
