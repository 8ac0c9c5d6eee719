"""Excel round trip: a year as one workbook to fill, and back, with the loader's checks.

openpyxl writes and reads the workbook. Each data file is a sheet named by its
Vietnamese label, its header row the Vietnamese column labels (the column code sits in
a comment); the schema maps labels back to codes, and a header of codes is accepted
too. Code columns get drop-down lists kept in a hidden sheet (“Danh mục”), because
units such as “tập thể, cá nhân” contain commas that an inline list cannot hold.

Import reads each sheet into the same shape as a CSV file and runs the very same
validation as :func:`~tongket_lib.dataset.load.load_year`, naming the workbook, the sheet, the
Excel row and the column; the year folder is written only when everything is valid,
atomically, and an existing year needs ``force`` and is first backed up.
"""

from tongket_lib.dataset.excel.read import (
    ImportResult,
    import_excel,
    read_excel,
    sheet_meta,
    sheet_tables,
)
from tongket_lib.dataset.excel.sheets import (
    HELP_SHEET,
    LISTS_SHEET,
    META_LISTS,
    META_SCALARS,
    META_SHEET,
    META_SIGNATORY,
)
from tongket_lib.dataset.excel.write import (
    COMMON_UNITS,
    FORMULA_START,
    LIST_ROWS,
    WRAPPED,
    export_excel,
)

__all__ = ["COMMON_UNITS", "FORMULA_START", "HELP_SHEET", "LISTS_SHEET", "LIST_ROWS",
           "META_LISTS", "META_SCALARS", "META_SHEET", "META_SIGNATORY", "WRAPPED",
           "ImportResult", "export_excel", "import_excel", "read_excel", "sheet_meta",
           "sheet_tables"]
