#!/usr/bin/env python
"""Django's command-line utility; `tidtam` (tidtam/cli.py) is the same command under the
product's name, and this runs it."""

if __name__ == "__main__":
    from tidtam.cli import main

    main()
