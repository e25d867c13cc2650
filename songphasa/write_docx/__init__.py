"""The DOCX writer: one rendered HTML article as a Word document, in layers as python-docx has them.

``settings`` (how a document is dressed), ``oxml`` (WordprocessingML names
and schema order), ``package`` (the reference document's parts, the page,
the metadata, the zip), ``styles``, ``markup`` (what is read of the HTML),
``runs`` (script runs and their properties), ``blocks`` (paragraphs, lists,
footnotes, revisions, links), ``tables``, and ``writer``, which walks the
tree: ``from songphasa.write_docx.writer import docx_bytes``.
"""
