"""Package the print edition: the PDF, laid out in pieces, and its covers."""
