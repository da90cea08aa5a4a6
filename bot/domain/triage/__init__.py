"""Warning-sign triage: rules in no language, words per language, one engine.

rules.py (the catalogue), lexicon.py (one language's words, and the ports for reading
them), reading.py (a message's words and concepts), scope.py (how a sign was meant),
engine.py (the decision).
"""

from bot.domain.triage.engine import NOTHING, Decision, Explanation, Triage
from bot.domain.triage.levels import About, Level
from bot.domain.triage.lexicon import LanguageGuesser, Lexicon, WordReader
from bot.domain.triage.reading import Reader
from bot.domain.triage.rules import Catalogue, Rule

__all__ = ["NOTHING", "About", "Catalogue", "Decision", "Explanation", "LanguageGuesser",
           "Level", "Lexicon", "Reader", "Rule", "Triage", "WordReader"]
