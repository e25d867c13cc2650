"""Who may do what: one random token per role, the host names the server answers to, the origin of a write.

The secretariat's token records decisions, a translator's writes its language's
catalog; every other role's token only reads. A
token travels as ``Authorization: Bearer TOKEN`` or as ``?token=`` in the
printed links (an EventSource cannot send a header). A request naming another
host (DNS rebinding) is refused, and so is a write whose Origin is not this
server (another site's page posting into it).
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.requests import Request

#: The role that writes.
SECRETARIAT = "secretariat"


@dataclass(frozen=True)
class Role:
    """One link the server prints: who it is for, its token, whether it writes, and its page."""

    name: str  # "secretariat", "projector", "booth lo", "translator lo"
    token: str
    path: str  # "/secretariat", "/projector", "/booth/lo", "/translate/lo"
    writes: bool = False  # records decisions
    catalog: str | None = None  # the language whose catalog it translates


def make_roles(languages: tuple[str, ...], kept: dict[str, str] | None = None) -> tuple[Role, ...]:
    """Make the roles of a session, each with its random token: secretariat, projector, a booth per language,
    a translator per target language (``languages`` starts with the source).

    ``kept``: the tokens of the server that ran before, by role name (its links keep working); a role
    without one gets a fresh token.
    """
    kept = kept or {}

    def token(name: str) -> str:
        said = kept.get(name)
        return said if isinstance(said, str) and len(said) >= 24 else secrets.token_urlsafe(18)
    return (Role(SECRETARIAT, token(SECRETARIAT), "/secretariat", writes=True),
            Role("projector", token("projector"), "/projector"),
            *(Role(f"booth {lang}", token(f"booth {lang}"), f"/booth/{lang}") for lang in languages),
            *(Role(f"translator {lang}", token(f"translator {lang}"), f"/translate/{lang}", catalog=lang)
              for lang in languages[1:]))


@dataclass(frozen=True)
class Access:
    """The roles of one running server and the host names it answers to."""

    roles: tuple[Role, ...]
    hosts: frozenset[str] = field(default_factory=lambda: frozenset({"127.0.0.1", "localhost", "::1"}))
    port: int | None = None  # the port a write's Origin must name (None: any, for tests)

    def role(self, request: Request) -> Role | None:
        """The role whose token the request carries (header or query), None without a valid one."""
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else request.query_params.get("token", "")
        if not token:
            return None
        return next((r for r in self.roles if secrets.compare_digest(r.token.encode(), token.encode())), None)

    def known(self, host: str | None, request: Request) -> bool:
        """Tell whether a host is this server: a name it was given, or the address the request reached it at."""
        if host is None:
            return False
        server = request.scope.get("server")
        return host in self.hosts or (server is not None and host == str(server[0]).lower())

    def host_allowed(self, request: Request) -> bool:
        """Tell whether the Host header names this server (not a name someone pointed at it: DNS rebinding)."""
        return self.known(host_name(request.headers.get("host", "")), request)

    def origin_allowed(self, request: Request) -> bool:
        """Tell whether a write comes from this server's own pages or from a script (no Origin at all)."""
        if request.headers.get("sec-fetch-site") == "cross-site":
            return False
        origin = request.headers.get("origin")
        if origin is None:
            return True
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not self.known(host_name(parts.netloc), request):
            return False
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        return self.port is None or port == self.port


def host_name(netloc: str) -> str | None:
    """The host of a Host header or an origin's netloc, lower-case, without the port or IPv6 brackets."""
    netloc = netloc.strip().lower()
    if not netloc:
        return None
    if netloc.startswith("["):
        end = netloc.find("]")
        return netloc[1:end] if end > 0 else None
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


def local_hosts(bind: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The names and addresses a browser may use to reach a server bound to ``bind``.

    Bound to every interface (``--lan``), that is also this computer's name and
    the addresses it resolves to; ``extra`` adds names given with ``--host``.
    (An address a request reached the server at is always its own: see :meth:`Access.known`.)
    """
    hosts = {"127.0.0.1", "localhost", "::1", *(h.lower() for h in extra)}
    if bind not in ("0.0.0.0", "::"):
        hosts.add(bind.lower())
        return frozenset(hosts)
    name = socket.gethostname()
    hosts.update({name.lower(), socket.getfqdn().lower()})
    try:
        for info in socket.getaddrinfo(name, None):
            hosts.add(str(info[4][0]).split("%")[0])
    except OSError:
        pass
    return frozenset(hosts)


def lan_address(hosts: frozenset[str]) -> str:
    """The address to print in links for the other computers: one not of the loopback, else this computer's name."""
    for host in sorted(hosts):
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            continue
        if not address.is_loopback and address.version == 4:
            return host
    return socket.gethostname()
