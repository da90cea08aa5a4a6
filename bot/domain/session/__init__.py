"""An exercise session: the table, steps and holds, pain during it, dose arithmetic."""
