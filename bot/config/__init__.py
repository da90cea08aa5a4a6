"""Settings from the environment and privacy-safe logging."""
