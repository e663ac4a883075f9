"""Run the CLI with ``python -m legkg``."""

from legkg.cli.main import main

main()
