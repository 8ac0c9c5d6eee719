"""Hostile inputs for tongket, generated at test time (nothing large is committed).

Each generator writes one kind of attack into a folder and returns the path to give
the command. :data:`CASES` (in ``cases.py``) lists them with the command to run.
"""
