"""The build scenarios, one module per family, and the newsgen-alone modes made of them.

- ``cold.py``: cold builds (and Pelican's cold build with its content cache on);
- ``rebuild.py``: no-op rebuild, one-article edit and one-article add, and putting the
  sources back before each round;
- ``scale.py``: the ``scale`` mode, cold build and no-op rebuild of newsgen at large N;
- ``bytecost.py``: the ``bytecost`` mode, cold builds of a prose and a link-heavy corpus.

``run.py`` interleaves the cold and rebuild scenarios round by round for ``compare`` and
``features``.
"""
