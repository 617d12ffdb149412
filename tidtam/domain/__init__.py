"""Pure computation core of tidtam: standard library only, no Django, no I/O, no clock."""
