"""`python -m anthology`, and the `anthology` command's entry point: Ctrl-C is answered from
the first moment (loading the modules takes a second or two), and memory running out while
they load is an `error:` line too; then the command line runs."""

import sys

from anthology.processes import OUT_OF_MEMORY, interruptible_start


def main() -> None:
    interruptible_start()
    try:
        from anthology.cli import main as command_line
    except MemoryError:
        print(f"{OUT_OF_MEMORY} (while starting)", file=sys.stderr)
        sys.exit(1)
    command_line()


if __name__ == "__main__":
    main()
