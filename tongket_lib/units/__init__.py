"""Many units in one data folder: the register ``units.csv``, one folder per unit, and
``collect`` of the workbooks the units send back.

A data folder is multi-unit when it holds ``units.csv``; each unit's years then live in
``<data>/<unit id>/<year>/``, each a normal year folder. See :mod:`.register`.
"""
