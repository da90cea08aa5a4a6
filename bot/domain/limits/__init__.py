"""What one person may ask of the bot: daily caps, cooldowns, and a flood's excess."""
