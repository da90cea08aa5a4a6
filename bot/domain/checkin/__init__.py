"""The pain check-in and the /progress summary."""
