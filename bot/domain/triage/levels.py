"""The four triage levels, and the ways a sign can be meant."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from bot.domain.model import LEVEL_LABELS, LevelLabel, one_of


class Level(IntEnum):
    """How serious: higher is more serious. Labels are the names in lower case."""

    NONE = 0
    CALL_DOCTOR = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def label(self) -> LevelLabel:
        """'none' | 'call_doctor' | 'urgent' | 'emergency'."""
        return one_of(self.name.lower(), LEVEL_LABELS)

    @classmethod
    def _missing_(cls, value: object) -> Level | None:
        """Accept the labels too: Level('urgent') is Level.URGENT."""
        if isinstance(value, str) and value.upper() in cls.__members__:
            return cls[value.upper()]
        return None


class About(StrEnum):
    """Whose sign it is, and whether it is happening now: what the words around it say."""

    SELF = "self"  # the person, now
    SOMEONE_ELSE = "someone_else"  # "my husband has chest pain"
    HYPOTHETICAL = "hypothetical"  # "what if I get chest pain?", "can people get ...?"
    NEGATED = "negated"  # "no chest pain"
    PAST = "past"  # "had chest pain last year"
    RESOLVED = "resolved"  # "the tingling went away"
    MENTION = "mention"  # "a film about a heart attack", "what does cauda equina mean?"
    IDIOM = "idiom"  # "this traffic is killing me"
    EXPLAINED = "explained"  # "my toes are numb from the cold"
    NOTHING = "nothing"  # no warning sign found
    UNREADABLE = "unreadable_language"  # written in a language the bot cannot read


# When the words around a sign say several things, the first of these wins.
PRECEDENCE = (About.IDIOM, About.NEGATED, About.MENTION, About.HYPOTHETICAL,
              About.SOMEONE_ELSE, About.PAST, About.RESOLVED, About.EXPLAINED, About.SELF)
