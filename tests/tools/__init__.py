"""Tests of the maintenance scripts in tools/."""
