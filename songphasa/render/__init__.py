"""Rendering: a Jinja template and a Localizer make a document's semantic HTML in one language."""
