"""Import reviews from a blog: saved review pages and WordPress exports, into review sources.

Stages, one module each: `pages` reads files safely, `wordpress` turns an export into posts,
`recognise` finds the parts of a review in its lines, `write` writes sources (never over the
author's edits), `report` says what went where, and `command` is `anthology import`.
"""
