import sys

from oint.cli import main

sys.exit(main())
