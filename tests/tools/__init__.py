"""The maintenance scripts in tools/."""
