"""`python -m lakehouse ...`: see lakehouse/cli/."""

from lakehouse.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
