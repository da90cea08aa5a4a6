"""Which flow an event goes to: the precedence table, commands that work everywhere, home."""
