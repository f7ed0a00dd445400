"""The policy of check and fix: which segments are findings, and what a run ends with (its summary and exit code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ._api import Normalizer
from ._decision import Why
from ._errors import ExitCode
from ._merge import SegmentResult

# What fix says when text it should translate stays as it was, and check will keep finding it.
REJECTED_ADVICE = ("translate them by hand, or keep them from unilingo with <!-- unilingo: off --> ... "
                   "<!-- unilingo: on --> or 'unilingo: ignore' on their line")  # fmt: skip


def listed_uncertain(segment: SegmentResult, uncertain: str) -> bool:
    """Whether an uncertain segment is to be listed on standard error (``--uncertain report``)."""
    return uncertain == "report" and segment.why is Why.UNCERTAIN


@dataclass
class Check:
    """What check found over a run: each document's segments judged, then one summary line and the exit code.

    A finding is text that would be translated, or text surely in a language
    not wanted with no model into the target (the detector says which); names,
    codes, look-alikes and uncertain segments never are.
    """

    findings: int = 0
    targets: set[str] = field(default_factory=set)
    # "source target" pairs a models-file line would give a model to.
    without_model: set[str] = field(default_factory=set)

    def judged(self, normalizer: Normalizer, segments: Iterable[SegmentResult]) -> Iterator[tuple[SegmentResult, bool]]:
        """Each of a document's ``segments`` (detected by ``normalizer``), and whether it is a finding; findings are counted."""
        self.targets.add(normalizer.target)
        for segment in segments:
            found = normalizer.detector.is_finding(segment.lang, segment.action, segment.why)
            if found:
                self.findings += 1
                if segment.why.without_model:
                    self.without_model.add(f"{segment.lang} {normalizer.target}")
            yield segment, found

    def summary(self) -> str | None:
        """The closing line (None when nothing was found): how many, and what makes them go away."""
        if not self.findings:
            return None
        how = "'unilingo fix' translates them"
        if self.without_model:
            lines = " and ".join(f"'{pair} MODEL'" for pair in sorted(self.without_model))
            how = f"for those with no model, add {lines} to the models file (--models), then 'unilingo fix' translates them"
        return f"{self.findings} segment(s) not in {'/'.join(sorted(self.targets))}; {how}"

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FINDINGS if self.findings else ExitCode.OK


@dataclass
class Fix:
    """What fix did over a run: files changed and segments left untranslated, then the summary and exit code."""

    changed: int = 0
    untranslated: int = 0

    def summary(self) -> str | None:
        """The closing line when text fix should translate stays (None when none does): check still finds it."""
        if not self.untranslated:
            return None
        return (f"{self.untranslated} segment(s) could not be translated (the model's translation was rejected), "
                f"so 'unilingo check' still finds them: {REJECTED_ADVICE}")  # fmt: skip

    @property
    def exit_code(self) -> ExitCode:
        # As formatters do: a changed file fails the commit that it must be added to.
        return ExitCode.FINDINGS if self.changed or self.untranslated else ExitCode.OK
