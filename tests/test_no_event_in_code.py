"""Nothing of one event in the code: the example events' facts live in their content, never in the package."""

from __future__ import annotations

import re

from .conftest import REPO


def _facts_of_the_example_events() -> set[str]:
    """Every name and phrase the two example events write in their YAML: titles, people, positions,
    organizations, glossary terms, places. The settings (fonts, languages) are choices, not facts."""
    from ruamel.yaml import YAML

    def strings(node: object) -> list[str]:
        if isinstance(node, dict):
            return [s for key, value in node.items() if key != "settings" for s in strings(value)]
        if isinstance(node, list):
            return [s for value in node for s in strings(value)]
        return [" ".join(node.split())] if isinstance(node, str) else []

    facts = set()
    for folder in ("content", "examples/technical-workshop/content"):
        for path in sorted((REPO / folder).glob("*.yaml")):
            for text in strings(YAML(typ="safe").load(path.read_text(encoding="utf-8"))):
                if 10 <= len(text) <= 80 and " " in text and not re.search(r"[\u0E80-\u0EFF]", text):
                    facts.add(text)
    assert len(facts) > 60, "the example events' facts were not read"
    return facts


def test_no_fact_of_either_example_event_is_in_code_or_templates() -> None:
    anywhere = ["Manixay", "1819G", "One-Door", "One Door", "ODSC", "technical_workshop", "Decision-making Session",
                "Riverside", "Khamla", "Local Administration", "Prime Minister", *_facts_of_the_example_events()]
    # Templates also name no year, city or ministry (code may use them in an example of a format).
    in_templates = [*anywhere, "2021", "2022", "Vientiane", "Home Affairs", "Ministry", "ministries"]
    found = []
    for path in sorted((REPO / "songphasa").rglob("*")):
        if path.suffix in (".py", ".html", ".css"):
            text = " ".join(path.read_text(encoding="utf-8").split())
            facts = in_templates if path.suffix != ".py" else anywhere
            found += [f"{path.relative_to(REPO)}: {fact}" for fact in facts if fact in text]
    assert found == []
