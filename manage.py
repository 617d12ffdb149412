#!/usr/bin/env python
"""Django's command-line utility; `tidtam` (tidtam/cli.py) is the same with a friendlier name."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
