"""Language distribution: each language's share of the code, by bytes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from hubdeck.core.metrics.common import Snapshots, as_snapshots

DEFAULT_TOP = 6
OTHER = "Other"


@dataclass(frozen=True, slots=True)
class LanguageShare:
    name: str  # a language, or "Other" for the grouped rest
    bytes: int
    share: float  # bytes / total bytes
    grouped: tuple[str, ...] = ()  # for "Other": the languages it holds


@dataclass(frozen=True, slots=True)
class Languages:
    total_bytes: int
    languages: tuple[LanguageShare, ...]  # largest first; "Other" (if any) last


def language_shares(snapshots: Snapshots, *, top: int = DEFAULT_TOP) -> Languages:
    """Bytes per language (GitHub's linguist figures), summed over the repositories.

    The ``top`` largest languages are listed by name; the rest are grouped as "Other" when
    that holds two languages or more (a single remaining language is shown by name), so the
    list has at most ``top + 1`` entries. Ties are broken by name. No bytes: an empty list.
    """
    if top < 1:
        raise ValueError("top must be at least 1")
    totals: Counter[str] = Counter()
    for snapshot in as_snapshots(snapshots):
        for name, size in snapshot.languages.items():
            if size > 0:
                totals[name] += size
    total = totals.total()
    if total == 0:
        return Languages(total_bytes=0, languages=())
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    shown, rest = (ranked, []) if len(ranked) <= top + 1 else (ranked[:top], ranked[top:])
    entries = [LanguageShare(name=name, bytes=size, share=size / total) for name, size in shown]
    if rest:
        rest_bytes = sum(size for _, size in rest)
        entries.append(
            LanguageShare(
                name=OTHER,
                bytes=rest_bytes,
                share=rest_bytes / total,
                grouped=tuple(name for name, _ in rest),
            )
        )
    return Languages(total_bytes=total, languages=tuple(entries))
