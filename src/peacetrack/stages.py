"""Analysis stages that declare what they need and what they set (issue 16).

A stage reads parts of a report's analysis in progress (``Work``) and sets
others: ``events`` (the list), or one field of every event
(``events.date``), or ``document.published``. The order of
``analysis.STAGES`` is checked when the module loads (``check_order``): a
stage that needs what no earlier stage set is an error, so the order is
read from the declarations, not remembered. ``writers`` lists the fields
more than one stage sets: the rewrites that remain (``python -m
peacetrack.stages`` prints the table).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from .records import Document, Event, Quote, Stance

# what every analysis starts from
INPUTS = frozenset({"doc", "document", "document.published"})


@dataclass
class Work:
    """One report's analysis while the stages run."""

    document: Document
    doc: Doc
    references: list[Any] = field(default_factory=list)  # chronology happenings named
    actors: Any = None  # actors.DocActors
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    links: list[Any] = field(default_factory=list)  # (event, happening) pairs
    stances: list[Stance] = field(default_factory=list)


@dataclass(frozen=True)
class Stage:
    """One step of the analysis: ``run(analyzer, work)`` reads ``needs`` and
    sets ``sets``; ``final`` stages run only when the candidates are not
    wanted as they are (training reads them before the decision)."""

    name: str
    run: Callable[[Any, Work], None]
    needs: frozenset[str]
    sets: frozenset[str]
    final: bool = False
    why: str = ""  # what the stage does, one line (the table)

    @classmethod
    def of(cls, name: str, run: Callable[[Any, Work], None], *, needs: Iterable[str] = (),
           sets: Iterable[str] = (), final: bool = False, why: str = "") -> Stage:
        return cls(name, run, frozenset(needs), frozenset(sets), final, why)


# runs one stage of a report's analysis in place of the plain loop:
# watch(stage, work, run) calls run() (analysis.Analyzer.analyse_doc)
Watch = Callable[["Stage", Work, Callable[[], None]], None]


class OrderError(ValueError):
    """A stage needs what no earlier stage sets."""


def check_order(stages: Sequence[Stage], inputs: Iterable[str] = INPUTS) -> None:
    """Raise ``OrderError`` naming the first stage that needs what no stage
    before it sets, or a stage whose name is used twice."""
    available = set(inputs)
    names: set[str] = set()
    for stage in stages:
        if stage.name in names:
            raise OrderError(f"stage {stage.name!r} is listed twice")
        names.add(stage.name)
        missing = sorted(stage.needs - available)
        if missing:
            raise OrderError(f"stage {stage.name!r} needs {', '.join(missing)}, "
                             "which no stage before it sets")
        available |= stage.sets


def writers(stages: Sequence[Stage]) -> dict[str, list[str]]:
    """Each field set by more than one stage, with the stages that set it."""
    by_field: dict[str, list[str]] = {}
    for stage in stages:
        for name in sorted(stage.sets):
            by_field.setdefault(name, []).append(stage.name)
    return {k: v for k, v in by_field.items() if len(v) > 1}


def table(stages: Sequence[Stage]) -> str:
    """The stages in order with what each needs and sets (Markdown)."""
    rows = ["| stage | needs | sets | what it does |", "|---|---|---|---|"]
    for stage in stages:
        rows.append(f"| {stage.name}{' (final)' if stage.final else ''} | "
                    f"{', '.join(sorted(stage.needs))} | {', '.join(sorted(stage.sets))} | "
                    f"{stage.why} |")
    return "\n".join(rows)


def main() -> int:
    from .analysis import STAGES

    print(table(STAGES))
    print("\nSet by more than one stage:")
    for name, by in writers(STAGES).items():
        print(f"- {name}: {', '.join(by)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
