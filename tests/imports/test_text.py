"""Stored and uploaded CSV text is split only where the csv module expects lines to end."""

import csv

from recruitment.imports.text import csv_lines


def test_a_quoted_cell_keeps_its_line_breaks_and_unicode_separators() -> None:
    text = 'name,note\r\n"Pérez","one\u2028two\r\nthree"\r\nGómez,plain\r\n'
    rows = list(csv.reader(csv_lines(text)))
    assert rows == [["name", "note"], ["Pérez", "one\u2028two\r\nthree"], ["Gómez", "plain"]]
