import pytest

from anthology.output import atomic_target


def test_success_replaces_the_target(tmp_path) -> None:
    target = tmp_path / "out" / "book.epub"
    with atomic_target(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert list(target.parent.iterdir()) == [target]


def test_failure_keeps_the_last_good_file_and_leaves_no_debris(tmp_path) -> None:
    target = tmp_path / "book.epub"
    target.write_bytes(b"good")
    with pytest.raises(RuntimeError), atomic_target(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("crash mid-write")
    assert target.read_bytes() == b"good"
    assert list(tmp_path.iterdir()) == [target]
