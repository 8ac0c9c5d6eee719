"""Tests run as root, who may read anything: with this folder on ``PYTHONPATH`` and
``UNREADABLE`` naming a file or folder, every Python process of the command under test
(the notebook's kernel too, which loads the data) sees "no access" for it, as a user
without the right to read it would."""

import os

_NAME = os.environ.get("UNREADABLE")
if _NAME:
    _real = os.access

    def _access(path, mode, **kwargs):
        return False if str(path).endswith(_NAME) else _real(path, mode, **kwargs)

    os.access = _access
