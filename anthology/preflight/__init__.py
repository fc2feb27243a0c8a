"""Check the built books, both editions, as a printer, a store and a book designer would.

A stage of its own after print and epub: it reads what they wrote (the PDFs' boxes, fonts and
text, the covers, the EPUBs and each store's edition) and never writes a book. `run` gathers
the rows `anthology preflight` prints; `validate` runs epubcheck and DAISY Ace.
"""
