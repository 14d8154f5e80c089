"""The previous session of a workshop: importing its results and comparing today's themes with it.

`parsing` reads files as city halls have them (CSV, XLSX, plain text, this tool's archive),
`operations` stores them and computes the comparison, `background` keeps the comparison current
on the boards, `routes` holds the staff page and the projected "then and now" view, and
`commands` the `import-previous` and `compare` commands.
"""
