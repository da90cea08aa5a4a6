"""Triage in Spanish, class by class: the kinds of wording es/blind_4 was missed on
(tests/corpora/es/blind_4.toml), each checked on sentences written afresh for this test, in
other words than the corpus, with near misses that must stay at none. A class holds when a
new sentence of it lands, not when the corpus sentence does."""

from __future__ import annotations

import pytest

from bot.domain.triage import Triage
from bot.loaders.triage import load_triage


@pytest.fixture(scope="module")
def triage() -> Triage:
    return load_triage()


# Burning to feel another pain, how easy a step from a height would be, a wish to crash the
# car, "soon I won't feel anything" with everything ready, a pet handed over, no way out.
OBLIQUE_SELF_HARM = [
    ("llevo una semana quemandome con cigarros para sentir otra cosa que no sea esta espalda",
     "emergency", "self"),
    ("anoche me estuve quemando con el encendedor en el muslo para sentir otro dolor",
     "emergency", "self"),
    ("desde la azotea del trabajo pienso que seria tan facil acabar", "emergency", "self"),
    ("me asomo a la ventana y pienso que un paso y se acaba todo", "emergency", "self"),
    ("me dan ganas de chocar el coche contra un muro cuando vuelvo a casa", "emergency", "self"),
    ("dentro de poco ya no voy a sufrir, lo tengo todo preparado", "emergency", "self"),
    ("le deje mi gata a la vecina, yo ya no voy a estar", "emergency", "self"),
    ("no le veo salida a nada, ni a mi vida, no hay solucion", "emergency", "self"),
]
SELF_HARM_NEAR_MISSES = [
    ("desde la azotea se ve el mar, seria tan facil ir a la playa andando", "none", "nothing"),
    ("le deje el gato a mi hermana porque me voy de viaje", "none", "nothing"),
    ("no le veo salida a este laberinto del juego jaja", "none", "nothing"),
    ("quiero chocar los cinco con mi fisio, ya casi no me duele", "none", "nothing"),
    ("no aguanto las ganas de que llegue el viernes", "none", "nothing"),
    ("ya tengo todo preparado para irme de vacaciones", "none", "nothing"),
]

# Someone typing for the account holder ("escribo por mi madre, que es la que usa la app"):
# the signs are the account holder's own; and the bot addressed as usted ("le cuento", "no
# le voy a mentir") names nobody else.
FOR_THE_ACCOUNT_HOLDER = [
    ("escribo por mi madre, que es la que usa la app: desde ayer tiene el pecho apretado y "
     "suda mucho", "emergency", "self"),
    ("soy su hija, le escribo yo porque no maneja el celular: dice que se le durmieron las "
     "nalgas y no siente al limpiarse", "emergency", "self"),
    ("le escribo de parte de mi abuelo, es el paciente: se cayo en el baño y tiene "
     "osteoporosis, le duele mucho la espalda", "urgent", "self"),
    ("escribo por mi padre, el que hace los ejercicios: no puede orinar desde anoche y le "
     "duele la espalda", "emergency", "self"),
    ("no le voy a mentir, llevo dias con fiebre y la espalda me duele mucho por la noche",
     "urgent", "self"),
    ("le cuento que desde esta mañana tengo un peso en el pecho que se me va al brazo",
     "emergency", "self"),
    ("le escribo porque no puedo mover las piernas desde hace una hora", "emergency", "self"),
    ("le cuento que hoy hice todos los ejercicios y me siento genial", "none", "nothing"),
    ("mi hijo me ayuda con el celular pero soy yo la que escribe: hoy estoy bien, hice los "
     "ejercicios", "none", "nothing"),
]

# Sensations with no term: a heavy object on the chest, numb "like the dentist's
# anaesthetic" (a comparison, not its cause), drunk without drinking.
SENSATIONS = [
    ("tengo como una roca encima del esternon y me falta el aire", "emergency", "self"),
    ("siento un bloque de cemento sobre el pecho desde hace un rato", "emergency", "self"),
    ("las nalgas las tengo como con la anestesia del dentista", "emergency", "self"),
    ("tengo la entrepierna como cuando te ponen anestesia, no noto nada al sentarme",
     "emergency", "self"),
    ("me siento borracho sin haber bebido nada y veo doble despues de los giros de cabeza",
     "emergency", "self"),
    ("tengo el estomago como una piedra de tanto comer", "none", "nothing"),
    ("me siento borracho de felicidad con mi nieto jaja", "none", "idiom"),
]

# What people cannot do instead of a symptom: hold it in or reach the toilet, sit, move
# without screaming; pain so bad they vomited or cried; an arm that will not lift with
# speech going.
FUNCTION_LOST = [
    ("ya no aguanto las ganas de orinar, se me escapa antes de llegar y tengo las piernas "
     "flojas", "emergency", "self"),
    ("no llego a tiempo al baño desde ayer y tengo la espalda fatal", "emergency", "self"),
    ("me duele tanto la cintura que llore toda la noche", "emergency", "self"),
    ("el dolor de espalda no me deja ni levantarme de la silla", "emergency", "self"),
    ("grito cada vez que me muevo de la cama por la espalda", "emergency", "self"),
    ("peor que el parto, nunca en mi vida me habia dolido asi la espalda", "emergency", "self"),
    ("mi marido de repente no puede levantar el brazo ni hablar claro",
     "emergency", "someone_else"),
    ("no llego a tiempo al cine, que rabia", "none", "nothing"),
    ("me rei tanto que llore con la pelicula", "none", "nothing"),
    ("no me deja ni un minuto tranquila mi perro jaja", "none", "nothing"),
    ("grito de emocion cada vez que gana mi equipo", "none", "nothing"),
]

# English-led messages with Spanish words in them.
MIXED = [
    ("I feel dizzy y veo doble since the head rolls", "emergency", "self"),
    ("my neck hurts and then I saw double, y me mareo mucho despues del giro de cabeza",
     "emergency", "self"),
    ("I love the ejercicios, my back feels great", "none", "nothing"),
]

# Scope cues misread: "it seemed like nothing" (but now...) is no all-clear; "qué pasa si"
# stays a condition; "X me mata" about a boss or the heat; a show or a song; "no debería".
SCOPE = [
    ("me resbale en la ducha, pense que no era nada, pero ahora no puedo ni moverme del dolor",
     "emergency", "self"),
    ("me golpee con la puerta del coche, crei que no era nada grave y ahora me duele "
     "muchisimo el pecho y me falta el aire", "emergency", "self"),
    ("a mis 30 no deberia despertarme tan tieso, tardo una hora en soltarme por la mañana",
     "call_doctor", "self"),
    ("que pasa si tengo fiebre mañana, hago los ejercicios igual?", "none", "hypothetical"),
    ("el calor de este verano me mata", "none", "nothing"),
    ("el papeleo me esta matando, llevo toda la semana", "none", "nothing"),
    ("estoy viendo una serie donde a un señor le da un infarto", "none", "mention"),
    ("en la cancion dice que le duele el pecho de amor", "none", "mention"),
    ("no deberia quejarme, hoy estoy bien", "none", "nothing"),
]

# The leaflet's "call your doctor": pain that moves, grows or will not ease, conflicting
# advice, a side effect of a cream, night pain eased by walking.
LEAFLET = [
    ("el dolor esta igual que hace un mes, no mejora nada con los ejercicios",
     "call_doctor", "self"),
    ("me preocupa que este dolor no se me quite nunca", "call_doctor", "self"),
    ("el dolor se esta moviendo hacia las costillas, eso antes no pasaba", "call_doctor", "self"),
    ("me duele mas que al principio entre los omoplatos", "call_doctor", "self"),
    ("el fisio me dijo otra cosa que la app, a quien le hago caso?", "call_doctor", "self"),
    ("la pomada me da ronchas, la sigo usando?", "call_doctor", "self"),
    ("me despierto de madrugada con la espalda dura y tengo que levantarme a caminar para que "
     "se me pase", "call_doctor", "self"),
    ("al principio me dolia un poco, ahora ya nada", "none", "nothing"),
]


@pytest.mark.parametrize(("text", "level", "about"),
                         OBLIQUE_SELF_HARM + SELF_HARM_NEAR_MISSES + FOR_THE_ACCOUNT_HOLDER
                         + SENSATIONS + FUNCTION_LOST + MIXED + SCOPE + LEAFLET)
def test_a_class_of_wording_lands_on_new_words(triage: Triage, text: str, level: str,
                                               about: str) -> None:
    decision = triage.decide(text)
    assert (decision.level.label, decision.about.value) == (level, about), decision


@pytest.mark.parametrize("text", [text for text, _, _ in OBLIQUE_SELF_HARM])
def test_oblique_self_harm_gets_the_crisis_answer(triage: Triage, text: str) -> None:
    """Said obliquely, it is still the crisis answer (crisis line and number)."""
    decision = triage.decide(text)
    assert decision.family == "self_harm", decision
