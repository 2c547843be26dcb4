"""The bundle's executable: the same entry point as the `chair-app` command a wheel installs."""

import sys

from chair_app.entry import main

if __name__ == "__main__":
    sys.exit(main())
