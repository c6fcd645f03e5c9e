"""Row ids are drawn many at a time: each must still be a random version 4 UUID, never handed
out twice, not even across a fork."""

import os
import uuid

from recruitment.models.base import new_id


def test_ids_are_random_version_4_uuids_never_repeated() -> None:
    # Several draws' worth, so that refilling is covered too.
    ids = [new_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    assert {(i.version, i.variant) for i in ids} == {(4, uuid.RFC_4122)}
    assert all(isinstance(i, uuid.UUID) for i in ids)
    # Random bits: no byte position outside the version and variant is constant.
    fixed = {6, 8}
    for position in set(range(16)) - fixed:
        assert len({i.bytes[position] for i in ids[:1000]}) > 100


def test_a_forked_process_draws_ids_of_its_own() -> None:
    new_id()  # the parent holds drawn ids not yet handed out
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's coverage is not collected)
        os.write(writing, new_id().bytes)
        os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    from_child = os.read(reading, 16)
    os.close(reading)
    assert uuid.UUID(bytes=from_child) != new_id()
