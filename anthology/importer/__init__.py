"""Import reviews from a blog: saved review pages (text or HTML) and WordPress exports, into
review sources.

Stages, one module each: `pages` reads files safely; `wordpress` turns an export into posts
(recovering what it can of a malformed one) and `saved` finds the post in a page saved from a
browser, both through `convert` (HTML to Markdown); `recognise` finds the parts of a review in
the lines of a page, with `lines` (numbering and Markdown), `shapes` (what one line is), `head`
(title, fact box, jukebox) and `body` (essay, judgement, guests, tail) sharing `findings` and
producing the values of `model`; `write` writes sources (never over the author's edits),
`report` and `report_json` say what went where, and `command` is `anthology import`.
"""
