"""Triage in Spanish (issue 17): each message is read in the language it is written in,
Spanish words never read English text, mixed messages still land, and every scope the
English engine knows (negation, past, mention, idiom, someone else, hypothetical) holds."""

from __future__ import annotations

import pytest

from bot.domain.triage import About, Level, Triage
from bot.loaders.triage import load_triage


@pytest.fixture(scope="module")
def triage() -> Triage:
    return load_triage()


@pytest.mark.parametrize(("text", "level", "about"), [
    ("me duele el pecho como si me aplastaran y me falta el aire", "emergency", "self"),
    ("me duele el chest y el brazo", "emergency", "self"),  # English words mixed in
    ("chest pain, no puedo respirar bien, ayuda", "emergency", "self"),
    ("quiero morirme", "emergency", "self"),
    ("ya me despedi de mi hermana, esta es mi ultima sesion", "emergency", "self"),
    ("mi esposo tiene dolor en el pecho y suda", "emergency", "someone_else"),
    ("mi hermano se cayo del techo y no mueve las piernas", "emergency", "someone_else"),
    ("no controlo la vejiga y tengo la entrepierna dormida", "emergency", "self"),
    ("Me duele la espalda un monton, no lo soporto", "emergency", "self"),  # severe pain
    ("me di un golpe en la espalda con la puerta", "call_doctor", "self"),  # a minor knock
    ("me duele la espalda desde que empece el programa y no mejora", "call_doctor", "self"),
    ("tengo fiebre y me duele la espalda", "urgent", "self"),
    ("ya no tengo hormigueo", "none", "negated"),
    ("este tráfico me está matando", "none", "nothing"),
    ("tuve dolor de pecho hace 3 años, el corazon esta bien", "none", "past"),
    ("vi una peli sobre un infarto", "none", "mention"),
    ("si un dia me falta el aire haciendo el bird dog, es normal?", "none", "hypothetical"),
    ("hice los ejercicios, todo bien", "none", "nothing"),
    # No accents, regional words.
    ("se me cayo la cara de un lado y hablo raro", "emergency", "self"),
    ("tengo las piernas entumidas de la cintura para abajo", "emergency", "self"),
    ("el dolor esta de madre, ni con el ibuprofeno se me quita", "emergency", "self"),
    ("mi novio dice que se va a matar", "emergency", "someone_else"),
    ("ya se me quitó el hormigueo", "none", "negated"),
    ("casi me muero de risa con el video", "none", "nothing"),
    ("me duele el alma de ver el partido", "none", "nothing"),
])
def test_spanish_messages_are_triaged_in_spanish(triage: Triage, text: str, level: str,
                                                 about: str) -> None:
    decision = triage.decide(text)
    assert (decision.level.label, decision.about.value) == (level, about), decision
    assert decision.unreadable is None


@pytest.mark.parametrize(("text", "rule"), [
    ("me duele el pexo y el braso isquierdo", "chest_pain"),
    ("ayudaa no puedo respirarr", "breathing"),
])
def test_spanish_with_typos_is_read(triage: Triage, text: str, rule: str) -> None:
    """Slips are read in Spanish too; so many that the detector calls the message another
    language, the "I can only read" line may come too, but the sign is acted on."""
    decision = triage.decide(text)
    assert (decision.level, decision.rule, decision.language) == (Level.EMERGENCY, rule, "es")


@pytest.mark.parametrize("text", [
    "I made a pie with my mama, then did the exercises",  # "pie" is a Spanish foot
    "my son came home, red in the face from running",
    "the dog ate the remote again lol",
])
def test_spanish_words_never_read_english_text(triage: Triage, text: str) -> None:
    decision = triage.decide(text)
    assert decision.level == Level.NONE and decision.unreadable is None, decision


def test_english_text_is_read_in_english_and_spanish_in_spanish(triage: Triage) -> None:
    assert triage.decide("crushing chest pain and sweating").language == "en"
    assert triage.decide("dolor aplastante en el pecho y sudor frio").language == "es"


def test_a_spanish_message_from_anyone_gets_the_crisis_response(triage: Triage) -> None:
    decision = triage.decide("tengo las pastillas guardadas para cuando no aguante mas")
    assert (decision.level, decision.response, decision.about) == (
        Level.EMERGENCY, "crisis", About.SELF)


def test_a_neighbouring_language_is_still_named_not_read_as_spanish(triage: Triage) -> None:
    decision = triage.decide("Eu moro numa aldeia pequena perto de Sevilha")
    assert decision.unreadable == "pt" and decision.level == Level.NONE


# Wordings of our own, none from a corpus, one or two for each class of wording the second
# blind Spanish corpus found missing: a class fixed, not a phrase, holds on these too.
@pytest.mark.parametrize(("text", "level", "about"), [
    # Sensations, body words and verb forms.
    ("tengo la cola dormida desde ayer y me duele la espalda", "emergency", "self"),
    ("no puedo orinar y tengo la entrepierna como anestesiada", "emergency", "self"),
    ("no he podido mear en todo el día y la espalda me mata", "emergency", "self"),
    ("tengo ganas de hacer pis pero no me sale nada", "emergency", "self"),
    ("ya no me doy cuenta cuando tengo que ir al baño", "emergency", "self"),
    # Function lost, onset.
    ("de golpe se me durmió medio cuerpo", "emergency", "self"),
    ("se me cae la baba por un lado de la boca", "emergency", "self"),
    ("la mano derecha no agarra nada, se me cae todo", "urgent", "self"),
    ("el pie me chancletea y tropiezo", "urgent", "self"),
    # Oblique crisis words: means kept, farewells, self-injury, being a burden.
    ("he estado juntando pastillas", "emergency", "self"),
    ("les dejé una carta a mis hijos", "emergency", "self"),
    ("sería más fácil para todos si no estuviera", "emergency", "self"),
    ("me volví a hacer daño en los brazos, no puedo parar", "emergency", "self"),
    ("estoy harta de vivir", "emergency", "self"),
    ("me quiero morir de la vergüenza", "none", "idiom"),
    ("mañana me voy de viaje, ya tengo todo listo para irme", "none", "nothing"),
    # Fracture and infection risk.
    ("al levantar la caja sonó un crack en la espalda", "urgent", "self"),
    ("tomo cortisona hace años y me agaché y sentí un dolor fuerte en la espalda", "urgent",
     "self"),
    # The leaflet tier.
    ("el dolor ha subido de 3 a 6 esta semana", "call_doctor", "self"),
    ("me duele el hombro desde que hago el bird dog", "call_doctor", "self"),
    ("estoy embarazada, ¿puedo seguir con la rutina?", "call_doctor", "self"),
    # Scope: past, resolved, mention, hypothetical; everyday words that are no sign.
    ("la semana pasada me dolió el pecho pero era ansiedad, ya está", "none", "past"),
    ("mi profe contó que a un alumno le dio un ictus", "none", "mention"),
    ("¿a partir de cuánta fiebre me tengo que preocupar?", "none", "hypothetical"),
    ("hoy no me sale nada bien, qué día", "none", "nothing"),
    ("me despedí de mi madre en el aeropuerto", "none", "nothing"),
    ("mi hijo no habla todavía, tiene un año", "none", "nothing"),
])
def test_spanish_classes_of_wording_hold_on_new_words(triage: Triage, text: str, level: str,
                                                      about: str) -> None:
    decision = triage.decide(text)
    assert (decision.level.label, decision.about.value) == (level, about), decision
