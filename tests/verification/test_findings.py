import hashlib
import json

from recruitment.verification import Finding, fingerprint_of


def _finding(**evidence: object) -> Finding:
    return Finding("NON_SNE_CHANNEL", "violation", "case", dict(evidence), "Program rule")  # type: ignore[arg-type]


def test_the_fingerprint_is_the_sha256_of_canonical_json() -> None:
    finding = _finding(channel="other", amount=1)
    canonical = (
        '{"code":"NON_SNE_CHANNEL","evidence":{"amount":1,"channel":"other"},"subject":"case"}'
    )
    assert finding.fingerprint == hashlib.sha256(canonical.encode()).hexdigest()


def test_the_fingerprint_ignores_key_order_but_not_values() -> None:
    assert _finding(a=1, b=2).fingerprint == _finding(b=2, a=1).fingerprint
    assert _finding(a=1, b=2).fingerprint != _finding(a=1, b=3).fingerprint


def test_the_fingerprint_covers_code_and_subject() -> None:
    evidence = {"channel": "other"}
    assert fingerprint_of("NON_SNE_CHANNEL", "case", evidence) != fingerprint_of(
        "NON_SNE_CHANNEL", "case:2", evidence
    )
    assert fingerprint_of("NON_SNE_CHANNEL", "case", evidence) != fingerprint_of(
        "TERMS_INCOMPLETE", "case", evidence
    )


def test_findings_with_equal_facts_are_equal_and_hashable() -> None:
    assert _finding(channel="other") == _finding(channel="other")
    assert len({_finding(channel="other"), _finding(channel="other")}) == 1
    assert json.loads(json.dumps(_finding(names=["é"]).evidence)) == {"names": ["é"]}
