from __future__ import annotations

import pytest

from hubdeck.core.metrics import LanguageShare, language_shares

from .factory import snapshot

BYTES = {"Python": 600, "Shell": 60, "TypeScript": 300, "Dockerfile": 10, "Makefile": 30}


def test_top_languages_and_the_rest_as_other() -> None:
    result = language_shares(snapshot(languages=BYTES), top=2)
    assert result.total_bytes == 1000
    assert result.languages == (
        LanguageShare("Python", 600, 0.6),
        LanguageShare("TypeScript", 300, 0.3),
        LanguageShare("Other", 100, 0.1, grouped=("Shell", "Makefile", "Dockerfile")),
    )


def test_a_single_remaining_language_keeps_its_name() -> None:
    names = [entry.name for entry in language_shares(snapshot(languages=BYTES), top=4).languages]
    assert names == ["Python", "TypeScript", "Shell", "Makefile", "Dockerfile"]


def test_team_sums_bytes_and_ties_sort_by_name() -> None:
    first = snapshot("acme/app", repo_id=1, languages={"Go": 50, "Rust": 25, "Empty": 0})
    second = snapshot("acme/api", repo_id=2, languages={"Rust": 25})
    result = language_shares([first, second])
    assert [(e.name, e.bytes, e.share) for e in result.languages] == [
        ("Go", 50, 0.5),
        ("Rust", 50, 0.5),
    ]


def test_no_bytes_no_languages() -> None:
    result = language_shares(snapshot(languages={"Python": 0}))
    assert (result.total_bytes, result.languages) == (0, ())


def test_top_must_be_positive() -> None:
    with pytest.raises(ValueError, match="top"):
        language_shares([], top=0)
