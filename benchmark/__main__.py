"""``python -m benchmark`` is the ``iraq-attacks`` command."""

import sys

from benchmark.cli import main

sys.exit(main())
