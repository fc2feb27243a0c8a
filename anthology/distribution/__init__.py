"""Distribution: what a publisher sends to distributors, retailers and libraries besides the
books themselves. Today the ONIX 3.0 feed (`anthology onix`): one record per edition of each
volume, with the facts the stores and catalogues take from it (ISBN, title and series, people,
subjects, prices, the print edition's size and pages, the e-book's accessibility), read from
volume.toml and from what the build made, so the feed says what the books are.
"""
