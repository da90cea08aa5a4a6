"""Reading words with libraries made for it: dictionary forms and slips (simplemma,
rapidfuzz) and which language a message is in (lingua). The triage domain sees these only
through its ports (bot/domain/triage/lexicon.py: WordReader, LanguageGuesser)."""
