"""Tests of songphasa/content/, module by module; bad inputs are files in tests/fixtures/content/."""
