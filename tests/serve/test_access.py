"""Tests for songphasa.serve.access: tokens by role, the host names answered, the origin of a write."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from songphasa.serve.access import Access, host_name, make_roles


def request(headers: dict[str, str], query: str = "", server: tuple[str, int] = ("127.0.0.1", 8765)) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": query.encode(), "server": server,
                    "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})


def test_each_role_has_its_own_token_and_only_the_secretariat_writes() -> None:
    roles = make_roles(("en", "lo"))
    assert [r.name for r in roles] == ["secretariat", "projector", "booth en", "booth lo", "translator lo"]
    assert len({r.token for r in roles}) == 5
    assert [r.writes for r in roles] == [True, False, False, False, False]
    assert [r.catalog for r in roles] == [None, None, None, None, "lo"]  # a translator writes only its catalog
    access = Access(roles)
    assert access.role(request({"Authorization": f"Bearer {roles[2].token}"})) == roles[2]
    assert access.role(request({}, f"token={roles[0].token}")) == roles[0]
    assert access.role(request({}, "token=guess")) is None
    assert access.role(request({})) is None


@pytest.mark.parametrize(("netloc", "host"), [("127.0.0.1:8000", "127.0.0.1"), ("LocalHost", "localhost"),
                                              ("[::1]:80", "::1"), ("", None), ("[::1", None)])
def test_host_name(netloc: str, host: str | None) -> None:
    assert host_name(netloc) == host


def test_hosts_are_the_given_names_and_the_address_reached() -> None:
    access = Access(make_roles(("en",)), port=8765)
    assert access.host_allowed(request({"Host": "localhost:8765"}))
    assert access.host_allowed(request({"Host": "192.0.2.7:8765"}, server=("192.0.2.7", 8765)))
    assert not access.host_allowed(request({"Host": "rebound.example:8765"}))
    assert not access.host_allowed(request({}))


def test_a_write_must_come_from_this_server_or_from_no_page_at_all() -> None:
    access = Access(make_roles(("en",)), port=8765)
    assert access.origin_allowed(request({}))
    assert access.origin_allowed(request({"Origin": "http://127.0.0.1:8765"}))
    assert not access.origin_allowed(request({"Origin": "http://127.0.0.1:8766"}))
    assert not access.origin_allowed(request({"Origin": "https://evil.example"}))
    assert not access.origin_allowed(request({"Origin": "null"}))
    assert not access.origin_allowed(request({"Sec-Fetch-Site": "cross-site"}))
