"""How much tongket reads from one input before it refuses it: the one place for limits.

Data files and workbooks come from people and other programs; a damaged or hostile
file must end in a clear message within seconds, never fill the memory or run for
hours. Every limit is far above what a real agency's yearly data needs (the 2024
report has 68 indicators, 17 award rows, 9 contribution rows; its largest file is
under 40 KB), so a real file never meets one.
"""

from __future__ import annotations

#: Largest data file (CSV or YAML) read, in bytes: 20 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024

#: Largest YAML file (meta.yaml, rules.yaml) read, in bytes: 2 MB (a real one has a few KB).
MAX_YAML_BYTES = 2 * 1024 * 1024

#: Largest ``.xlsx`` workbook imported, in bytes (the zipped file): 20 MB.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024

#: Most bytes all members of a workbook may hold once unzipped: 100 MB. A larger total
#: (a "zip bomb": a few KB that unzip to gigabytes) is refused before reading.
MAX_WORKBOOK_UNZIPPED_BYTES = 100 * 1024 * 1024

#: Largest unzipped shared-strings part of a workbook (``xl/sharedStrings.xml``, every text
#: a workbook holds, used or not): 8 MB. A year's workbook holds well under 1 MB of text;
#: openpyxl loads the whole part into memory before the first cell.
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024

#: Largest unzipped sheet of a workbook: 12 MB, about twice a full sheet of 5.000 rows by
#: 25 columns. A sheet is read row by row, empty formatted rows too (760.000 formatted
#: empty rows took 71 s), so its size bounds the time.
MAX_SHEET_BYTES = 12 * 1024 * 1024

#: Largest unzip ratio of one workbook member over 1 MB. Real sheets compress about
#: 5-20 times; only crafted files reach hundreds.
MAX_WORKBOOK_RATIO = 200

#: Most data rows in one CSV file or one workbook sheet (the header not counted). A
#: large agency reports a few hundred indicators; rows beyond would also make the report
#: (a chart per indicator) run for many minutes.
MAX_ROWS = 5_000

#: Most units in one register (``units.csv``): a national federation's tens of thousands.
MAX_UNITS = 100_000

#: Most columns in one CSV file or one workbook sheet.
MAX_COLUMNS = 200

#: Most characters in one cell. Also Excel's own limit for a cell (32,767), so every
#: value tongket accepts can be exported to a workbook whole.
MAX_CELL_CHARS = 32_767

#: Most aliases (``*name``) a YAML file may use. Real meta.yaml and rules.yaml files
#: use none; a "billion laughs" file needs many to explode.
MAX_YAML_ALIASES = 100

#: Most YAML nodes (values, lists, groups) in one file, counting what aliases repeat.
MAX_YAML_NODES = 100_000

#: Deepest nesting of lists and groups in a YAML file (meta.yaml needs 3 levels).
MAX_YAML_DEPTH = 50


def size_text(n: int) -> str:
    """A byte count as people say it: “20 MB”, “512 KB”.

    >>> size_text(20 * 1024 * 1024), size_text(3000)
    ('20 MB', '3 KB')
    """
    if n >= 1024 * 1024:
        return f"{round(n / (1024 * 1024))} MB"
    return f"{max(1, round(n / 1024))} KB"
