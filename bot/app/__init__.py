"""The app's wiring: building dependencies, running it, offline mode, the backcoach command."""
