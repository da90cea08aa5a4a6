"""/share: a read-only progress page the person chooses to share."""
