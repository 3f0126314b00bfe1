"""Importers: other systems' archives → source files in a site, never into the output.

Like `scaffold`, they only create files (through its never-overwrite writer), and what
they write is read by the loader like any hand-written article.
"""

from newsgen.importers.feed import import_feed
from newsgen.importers.report import ImportReport
from newsgen.importers.wordpress import import_wordpress

__all__ = ["ImportReport", "import_feed", "import_wordpress"]
