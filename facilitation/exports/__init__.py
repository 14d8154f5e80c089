"""From board to documents: the draft action plan, minutes material and the session archive.

Everything here works from one plain picture of a session, the archive (`archive.build` reads it
from the database, `archive.load_archive` from a file), so the documents of a restored session
are the documents of the original one.
"""
