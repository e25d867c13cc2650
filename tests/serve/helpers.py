"""What the server's tests share: a session over a copy of the sample, its tokens and a decision to record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.testclient import TestClient

from songphasa.serve.access import Access, make_roles
from songphasa.serve.app import create_app

MODIFIED_EN = ("Resolved that an inter-ministerial steering committee at Deputy Minister level be formed "
               "with a secretariat at the MOHA to promote integrated planning and monitoring of the ODSC initiative.")
MODIFIED_LO = ("ຕົກລົງວ່າ ໃຫ້ສ້າງຕັ້ງຄະນະກຳມະການຊີ້ນຳລະຫວ່າງກະຊວງ ຂັ້ນຮອງລັດຖະມົນຕີ ພ້ອມດ້ວຍກອງເລຂາຢູ່ MOHA "
               "ເພື່ອສົ່ງເສີມການວາງແຜນ ແລະ ການຕິດຕາມແບບເຊື່ອມສານ ຂອງ ODSC.")
BASE = "http://127.0.0.1:8765"


@dataclass
class Live:
    """A session's application under Starlette's TestClient, with the token of each role."""

    root: Path
    client: TestClient
    tokens: dict[str, str]

    def auth(self, role: str = "secretariat") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def state(self) -> dict:
        response = self.client.get("/api/state", headers=self.auth("projector"))
        assert response.status_code == 200, response.text
        return response.json()

    def rec(self, rec_id: str) -> dict:
        return next(r for r in self.state()["recommendations"] if r["id"] == rec_id)

    def post(self, rec_id: str, body: object, role: str = "secretariat", **headers: str):
        return self.client.post(f"/api/decisions/{rec_id}", json=body, headers={**self.auth(role), **headers})


def live(root: Path, *, watch: bool = False) -> Live:
    """Make a session's application over a project (the client is not started: use it in ``with``)."""
    roles = make_roles(("en", "lo"))
    access = Access(roles, frozenset({"127.0.0.1", "localhost"}), 8765)
    client = TestClient(create_app(root, access, watch=watch), base_url=BASE)
    return Live(root, client, {role.name: role.token for role in roles})


def decision_files(root: Path) -> dict[str, bytes]:
    """The files a decision writes: the content's recommendations, the template and every catalog."""
    paths = [root / "content" / "recommendations.yaml", root / "locales" / "messages.pot",
             *sorted((root / "locales").glob("*/LC_MESSAGES/messages.po"))]
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in paths}
