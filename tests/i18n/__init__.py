"""Tests of songphasa/i18n/, a file for each of its modules."""
