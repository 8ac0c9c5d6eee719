"""``python -m tongket_lib.cli``: the same as the ``tongket`` command."""

from tongket_lib.cli import run

if __name__ == "__main__":
    run()
