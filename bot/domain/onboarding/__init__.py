"""The first conversation: consent, safety, choosing exercises and doses, reminders."""
