"""Many units in one data folder: the register ``units.csv``, one folder per unit, the
workbooks sent out to units (``send``) and ``collect`` of those they send back.

A data folder is multi-unit when it holds ``units.csv``; each unit's years then live in
``<data>/<unit id>/<year>/``, each a normal year folder. See :mod:`.register`.
"""
