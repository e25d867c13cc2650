"""Start the decision session's server (uvicorn) on this computer or the room's network.

:func:`prepare` binds the port first (a free one when none is asked for), so
the links it returns are right before anyone opens them; the command line
prints them, then calls :meth:`LiveSession.run`, which serves until Ctrl-C.
"""

from __future__ import annotations

import hashlib
import json
import socket
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from ..cache import read_sealed, user_cache_dir, write_sealed
from ..errors import Problem, SongphasaError
from ..project import Project
from .access import Access, Role, lan_address, local_hosts, make_roles
from .app import create_app
from .hub import Hub


class ServeError(SongphasaError):
    """The server cannot start as asked (the port is taken, the address is not this computer's)."""


@dataclass
class LiveSession:
    """A server ready to run: its bound socket, its application and one link per role."""

    socket: socket.socket
    app: Starlette
    links: list[tuple[Role, str]]
    hub: Hub

    @property
    def port(self) -> int:
        return int(self.socket.getsockname()[1])

    def run(self) -> None:
        """Serve until Ctrl-C (or SIGTERM); open streams are closed within a second."""
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1,
                                proxy_headers=False, server_header=False)
        uvicorn.Server(config).run(sockets=[self.socket])


def kept_links_path(root: Path) -> Path:
    """Where the links of a project's last server are kept: the user's own cache folder, never the project's.

    A project folder travels (a zip, a USB stick); the tokens must not travel with it.
    """
    name = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:24]
    return user_cache_dir() / "sessions" / f"{name}.json"


def kept_links(root: Path) -> dict:
    """The port and tokens of this project's last server, as this user's sealed cache holds them ({} if none)."""
    data = read_sealed(kept_links_path(root), "serve-links")
    try:
        kept = json.loads(data) if data is not None else {}
    except ValueError:
        return {}
    return kept if isinstance(kept, dict) else {}


def keep_links(root: Path, port: int, roles: tuple[Role, ...]) -> None:
    """Keep the port and tokens so that a restarted server's links are the same (a cache: failing loses little)."""
    path = kept_links_path(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return
    write_sealed(path, "serve-links", json.dumps({"port": port, "tokens": {r.name: r.token for r in roles}}).encode())


def bind_port(bind: str, port: int, kept_port: object) -> socket.socket:
    """Listen on the port asked for; without one, on the port of the last server when free, else on a free one."""
    tries = [port] if port else ([kept_port, 0] if isinstance(kept_port, int) and 0 < kept_port < 65536 else [0])
    for index, number in enumerate(tries):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((bind, number))
        except OSError as exc:
            sock.close()
            if index + 1 < len(tries):
                continue
            raise ServeError(Problem("serve", None, f"cannot listen on port {port} ({exc.strerror})",
                                     "choose another with --port N, or leave --port out for a free one")) from None
        return sock
    raise AssertionError("no port was tried")


def prepare(root: Path, *, port: int = 0, lan: bool = False, hosts: tuple[str, ...] = (),
            output_link: bool = False, new_links: bool = False) -> LiveSession:
    """Open the project, bind the port and make the roles' links; nothing is served until run().

    The links of the project's last server are kept (its port, when free and none is asked for, and its
    tokens, in this user's sealed cache), so that after a restart the projector and the booths reconnect by
    themselves; ``new_links`` makes new tokens (the old links stop working). ``output_link``: output/ is a
    link on purpose (``--output-link``): the documents are made in the folder it names.
    """
    project = Project.at(root)
    hub = Hub(project.root, output_link=output_link)
    bind = "0.0.0.0" if lan else "127.0.0.1"
    kept = {} if new_links else kept_links(project.root)
    sock = bind_port(bind, port, kept.get("port"))
    sock.listen(128)
    sock.set_inheritable(True)
    allowed = local_hosts(bind, hosts)
    bound = int(sock.getsockname()[1])
    tokens = kept.get("tokens")
    roles = make_roles(hub.state.languages, tokens if isinstance(tokens, dict) else None)
    keep_links(project.root, bound, roles)
    access = Access(roles, allowed, bound)
    shown = (hosts[0] if hosts else lan_address(allowed)) if lan else "127.0.0.1"
    address = f"[{shown}]" if ":" in shown else shown
    links = [(role, f"http://{address}:{bound}{role.path}?token={role.token}") for role in roles]
    return LiveSession(sock, create_app(project.root, access, hub=hub, links=links), links, hub)
