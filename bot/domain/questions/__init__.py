"""Saved questions for the next visit, offers to save one, and common questions answered."""
