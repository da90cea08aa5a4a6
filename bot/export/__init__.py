"""What a person takes to their appointment: the visit report as PDF, chart and calendar file."""
