"""One module per part of the console; a page module defines ``routes = Routes()``, a helper
module (``iam_common``) none."""
