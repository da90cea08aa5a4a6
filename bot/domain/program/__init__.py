"""/program: changing the chosen exercises and doses later."""
