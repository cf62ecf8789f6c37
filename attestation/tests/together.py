"""How scripts/test shares the tests out between its pytest-xdist processes: as `-n` alone does (the next test to
whichever process is nearly out of work, in the order pytest-django gives), except that the tests of each module in
TOGETHER go, one after the other, to one process: they check what an earlier test of theirs left behind.

xdist's own `--dist loadgroup` (an `xdist_group` mark) renames each marked item's `_nodeid`, which pytest 9 no longer
reads (`Node.nodeid` is `_id`): the marked tests were shared out one by one like the others."""

from xdist.scheduler import LoadScopeScheduling

TOGETHER = ("attestation/tests/test_transactional_cleanup.py",)


class TogetherScheduling(LoadScopeScheduling):
    """xdist's scope scheduling with one scope per test, but one per module for those in TOGETHER; the scopes keep
    the collection's order (no reordering by size, which would move a module's transactional tests before the
    others' rolled-back ones: pytest-django runs the rolled-back ones first)."""

    def __init__(self, config, log=None) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in TOGETHER else nodeid
