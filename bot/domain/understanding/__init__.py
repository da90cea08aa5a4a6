"""Reading what people type: dates, days and times, numbers, ratings, phrases, places of pain."""
