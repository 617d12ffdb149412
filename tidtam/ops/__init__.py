"""Operating tidtam: cleanup after faults, backup and restore."""
