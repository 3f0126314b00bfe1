"""The build scenarios, one module per family.

- ``cold.py``: cold builds (and Pelican's cold build with its content cache on);
- ``rebuild.py``: no-op rebuild, one-article edit and one-article add, and putting the
  sources back before each round.

``run.py`` interleaves them round by round for ``compare`` and ``features``.
"""
