"""`anthology serve`: a live preview of the series in the browser.

`site` renders what each URL shows (the EPUB's own documents, the print proof) from the library
functions; `state` holds the one immutable snapshot the threads share; `watch` re-renders after
an edit; `proof` lays chapters out in a worker process; `server` is the HTTP side; `log` is
what a refresh or a request tells the terminal.
"""

from anthology.serve.server import PreviewServer

__all__ = ["PreviewServer"]
