"""What import-export did, kind by kind, for the command to print."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Summary:
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, kind: str, result: str, number: int = 1) -> None:
        if number:
            self.counts.setdefault(kind, Counter())[result] += number

    def note(self, text: str) -> None:
        self.notes.append(text)

    def fail(self, kind: str, name: str, reason: str) -> None:
        self.add(kind, "failed")
        self.failures.append(f"{kind} {name}: {reason}")

    def lines(self) -> list[str]:
        """One line a kind: "articles: 12 created, 1 failed"."""
        return [
            f"{kind}: " + ", ".join(f"{n} {result}" for result, n in sorted(c.items()))
            for kind, c in self.counts.items()
        ]
