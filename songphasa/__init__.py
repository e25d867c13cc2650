"""Songphasa (ສອງພາສາ): one content source, matching Lao and English workshop documents."""

__version__ = "0.1.0"
