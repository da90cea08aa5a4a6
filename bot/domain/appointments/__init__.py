"""The next visit: its date, reminders before it, and the follow-up after."""
