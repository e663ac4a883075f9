"""Run the CLI with ``python -m legkg``."""

import sys

from legkg.cli.start import main

sys.exit(main())
