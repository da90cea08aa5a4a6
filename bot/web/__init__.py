"""The HTTP side: webhook, health and metrics."""
