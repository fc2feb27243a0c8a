"""Reading input files: what is refused before a byte is read, and how odd encodings are taken."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from anthology.importer.pages import MB, TEXT_LIMIT, PageError, decode, read_bytes, read_page

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_a_utf8_page_with_windows_line_ends_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Alien (1979)\r\nCafé\r\n".encode())
    page = read_page(path)
    assert page.text == "Alien (1979)\nCafé\n"
    assert page.warnings == ()


def test_windows_1252_is_decoded_with_a_warning() -> None:
    page = read_page(FIXTURES / "bad" / "windows-1252.txt")
    assert "Velvet Lantern’s Appraisal #77" in page.text
    assert "Véra Clouzot" in page.text
    [warning] = page.warnings
    assert "Windows-1252" in warning and "line 3" in warning


def test_bytes_with_no_windows_1252_meaning_still_decode() -> None:
    text, warnings = decode(b"Caf\xe9 \x81")
    assert text.startswith("Café") and "Latin-1" in warnings[0]


def test_utf16_with_a_bom_is_text_not_binary() -> None:
    text, warnings = decode("Alien (1979)\n".encode("utf-16"))
    assert text == "Alien (1979)\n" and warnings == ()


@pytest.mark.parametrize(("name", "message"), [
    ("binary.txt", "is a binary file"),
    ("empty.txt", "is empty"),
])
def test_bad_files_are_refused_with_one_line(name: str, message: str) -> None:
    with pytest.raises(PageError) as caught:
        read_page(FIXTURES / "bad" / name)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_whitespace_only_is_empty(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text("\n  \n\t\n")
    with pytest.raises(PageError, match="is empty"):
        read_page(tmp_path / "blank.txt")


def test_a_50_mb_file_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"Alien (1979)\n" * (50 * MB // 13))
    assert path.stat().st_size > TEXT_LIMIT
    with pytest.raises(PageError, match=r"is 50\.0 MB; text pages over 5 MB are refused"):
        read_page(path)


def test_missing_files_and_folders(tmp_path: Path) -> None:
    with pytest.raises(PageError, match="no such file"):
        read_page(tmp_path / "nowhere.txt")
    with pytest.raises(PageError, match="is a folder"):
        read_page(tmp_path)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)  # nobody writes to it: opening it for reading would block for ever
    with pytest.raises(PageError, match="is not a regular file"):
        read_page(fifo)


def test_a_device_is_refused_unread() -> None:
    with pytest.raises(PageError, match="is not a regular file"):
        read_page(Path("/dev/zero"))  # endless: reading it would exhaust memory


def test_a_file_that_grows_past_the_limit_is_never_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"x" * 100)
    with pytest.raises(PageError, match="grew past"):
        read_bytes(path, 50)
