import sys

from gureum.cli.main import main

sys.exit(main())
