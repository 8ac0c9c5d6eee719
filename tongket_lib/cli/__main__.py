"""``python -m tongket_lib.cli``: the same as the ``tongket`` command."""

import sys

from tongket_lib.cli import main

sys.exit(main())
