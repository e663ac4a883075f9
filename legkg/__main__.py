"""Run the CLI with ``python -m legkg``."""

from legkg.cli.start import main

main()
