"""One module per part of the console; each defines ``routes = Routes()``."""
