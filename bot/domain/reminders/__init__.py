"""Daily reminders: the table, typed times, days and zones, quiet hours, the schedule."""
