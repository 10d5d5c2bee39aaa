"""The bundled sample corpus: every sentence written by us, facts planted from the reference files.

`python -m infrathesis.sample` rewrites data/sample/landing deterministically; a test proves the
committed files equal what this code produces.
"""
