"""Start the decision session's server (uvicorn) on this computer or the room's network.

:func:`prepare` binds the port first (a free one when none is asked for), so
the links it returns are right before anyone opens them; the command line
prints them, then calls :meth:`LiveSession.run`, which serves until Ctrl-C.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

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


def prepare(root: Path, *, port: int = 0, lan: bool = False, hosts: tuple[str, ...] = (),
            output_link: bool = False) -> LiveSession:
    """Open the project, bind the port and make the roles' links; nothing is served until run().

    ``output_link``: output/ is a link on purpose (``--output-link``): the documents are made in the folder it names.
    """
    project = Project.at(root)
    hub = Hub(project.root, output_link=output_link)
    bind = "0.0.0.0" if lan else "127.0.0.1"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((bind, port))
    except OSError as exc:
        sock.close()
        raise ServeError(Problem("serve", None, f"cannot listen on port {port} ({exc.strerror})",
                                 "choose another with --port N, or leave --port out for a free one")) from None
    sock.listen(128)
    sock.set_inheritable(True)
    allowed = local_hosts(bind, hosts)
    bound = int(sock.getsockname()[1])
    roles = make_roles(hub.state.languages)
    access = Access(roles, allowed, bound)
    shown = (hosts[0] if hosts else lan_address(allowed)) if lan else "127.0.0.1"
    address = f"[{shown}]" if ":" in shown else shown
    links = [(role, f"http://{address}:{bound}{role.path}?token={role.token}") for role in roles]
    return LiveSession(sock, create_app(project.root, access, hub=hub, links=links), links, hub)
