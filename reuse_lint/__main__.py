import sys

from reuse_lint.cli import main

sys.exit(main())
