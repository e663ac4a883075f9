"""Run the CLI with ``python -m legkg``."""

from legkg.cli import main

main()
