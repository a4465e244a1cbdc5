"""The working calendar (filled in by the calendar work): Vietnamese public holidays by rule, each
year's official decision on top, and working-day arithmetic."""
