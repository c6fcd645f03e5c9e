"""A finding: what one rule says about one subject of one case.

A finding is the pure result of a rule; a flag is its stored, staff-worked counterpart. Findings
are matched to flags by (code, subject) and compared by `fingerprint`, so the fingerprint must
depend on the facts alone: were the evaluation date in it, every flag would change every day, and a
flag that staff dismissed would reopen each morning. The evidence still names the date it was
judged on and the legal source (`judged`, under `JUDGEMENT_KEYS`), so that a flag says why and as of
when; the fingerprint leaves those two keys out. A stored flag keeps the evidence of the evaluation
that last changed it: its `as_of` is the first date its current facts were judged on.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, TypeAlias, get_args

from recruitment.domain.vocabulary import FlagSeverity

# Sequence and Mapping (not list and dict) so that a list[str] is evidence without a cast.
JsonValue: TypeAlias = (
    str | int | float | bool | Sequence["JsonValue"] | Mapping[str, "JsonValue"] | None
)
Evidence: TypeAlias = dict[str, JsonValue]

FlagCode = Literal[
    "RECRUITMENT_FEE_CHARGED",
    "WORKER_BORE_RELATED_COST",
    "REIMBURSEMENT_OVERDUE",
    "NON_SNE_CHANNEL",
    "SNE_CHANNEL_UNVERIFIED",
    "NOT_DIRECT_HIRE",
    "SUBCONTRACTING_LAYERS",
    "UNVERIFIED_LABOR_CONTRACTOR",
    "CONTRACTOR_REGISTRATION_EXPIRED",
    "CONTRACTOR_ACTIVITY_NOT_AUTHORIZED",
    "RECRUITER_AGREEMENT_LACKS_FEE_BAN",
    "CONTRACT_NOT_DISCLOSED_BEFORE_VISA",
    "CONTRACT_LANGUAGE_MISMATCH",
    "TERMS_INCOMPLETE",
    "WAGE_BELOW_FLOOR",
    "DUPLICATE_IDENTITY",
    "CONTRACT_DUE_BEFORE_VISA",
    "WAGE_FLOOR_UNKNOWN",
    "WAGE_NOT_IN_USD",
    "UNLAWFUL_DEDUCTION",
    "MEAL_CHARGE_MAXIMUM_UNKNOWN",
    "FOUNDED_COMPLAINT",
    "POSSIBLE_RETALIATION",
    "JOB_ORDER_NOT_CERTIFIED",
    "DEBARRED_PARTY",
    "POSSIBLE_DEBARRED_PARTY",
]
# In the order of DESIGN.md's catalogue, which is also the order staff read them in.
FLAG_CODES: tuple[FlagCode, ...] = get_args(FlagCode)

# Most serious first, so that a sorted list puts debt-bondage risks at the top of the queue.
SEVERITY_RANK: Mapping[FlagSeverity, int] = {"critical": 0, "violation": 1, "warning": 2}


# One encoder for all fingerprints: json.dumps would build a new one per call.
_CANONICAL_JSON = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


# Top-level evidence keys that say when and under which source a finding was judged: not facts,
# so not in the fingerprint.
JUDGEMENT_KEYS = frozenset({"as_of", "source"})


def fingerprint_of(code: str, subject: str, evidence: Mapping[str, JsonValue]) -> str:
    """SHA-256 of the canonical JSON of code, subject and evidence (sorted keys, no spaces),
    leaving out the `JUDGEMENT_KEYS`."""
    facts = {key: value for key, value in evidence.items() if key not in JUDGEMENT_KEYS}
    canonical = _CANONICAL_JSON.encode({"code": code, "subject": subject, "evidence": facts})
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Finding:
    """One rule's finding about one subject of a case.

    `subject` tells apart findings of one code within a case ("cost:<uuid>", "intermediary:<uuid>",
    "case"). `evidence` is JSON-ready (ids as strings, dates in ISO 8601, money in minor units)
    and enough for staff to act on without digging; treat it as read-only, as the fingerprint is
    computed from it once. `source` is the legal citation.
    """

    code: FlagCode
    severity: FlagSeverity
    subject: str
    # Excluded from the hash (a dict is unhashable); `fingerprint` stands for it.
    evidence: Evidence = field(hash=False)
    source: str
    fingerprint: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "fingerprint", fingerprint_of(self.code, self.subject, self.evidence)
        )

    def judged(self, as_of: date) -> "Finding":
        """This finding, its evidence naming the date judged and the source; same fingerprint
        (kept, not recomputed: re-verifying a whole program hashes every finding once)."""
        # Built around the frozen dataclass's __init__, which would hash the evidence again;
        # copy.copy took longer than the rule that made the finding.
        stamped = object.__new__(Finding)
        stamped.__dict__.update(
            self.__dict__,
            evidence={**self.evidence, "as_of": as_of.isoformat(), "source": self.source},
        )
        return stamped

    @property
    def key(self) -> tuple[str, str]:
        """What matches a finding with its flag."""
        return (self.code, self.subject)

    @property
    def sort_key(self) -> tuple[int, str, str]:
        return (SEVERITY_RANK[self.severity], self.code, self.subject)
