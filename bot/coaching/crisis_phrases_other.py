"""The safety net in languages other than English: the writer's own crisis, as regexes.

Fewer statements than in English (bot/coaching/crisis_phrases.py), written for how people
say it in chat, and read on text in lower case with accents removed ("aquí" is "aqui"), so
an answer typed without accents is read the same. Each language has:

- ``statements``: the writer, in the first person and the present, wanting to die, to kill
  or hurt themselves, having the means ready, or being unable to go on;
- ``past``: words that date a sentence to the past ("hace años", "cuando era"): a recovery
  story, unless ``recent`` words are in it too ("esta noche", "otra vez");
- ``reported``: words just before a statement that make it someone else's ("me dijo",
  "cuando alguien dice"). Quotation marks are removed before any of this (safety.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where a short phrase ends a thought: the end of the sentence or of the text.
_END = r"(?= *(?:$|[.!?,;:)\n]))"


@dataclass(frozen=True, slots=True)
class Phrases:
    statements: re.Pattern[str]
    past: re.Pattern[str]
    recent: re.Pattern[str]
    reported: re.Pattern[str]


def _phrases(statements: list[str], past: str, recent: str, reported: str) -> Phrases:
    return Phrases(
        re.compile("|".join(f"(?:{s})" for s in statements)),
        re.compile(past),
        re.compile(recent),
        # Only the end of what comes before the statement is read.
        re.compile(f"(?:{reported})[^.!?\\n]{{0,40}}$"),
    )


_ES_HARM = (r"(?:morir(?:me)?|matarme|suicidarme|quitarme la vida|acabar con (?:mi vida|todo)"
            r"|hacerme dano|cortarme|desaparecer para siempre|dejar de existir"
            r"|no despertar(?:me)?)")
SPANISH = _phrases(
    [
        # quiero morir / voy a matarme / estoy pensando en quitarme la vida
        rf"\b(?:quiero|quisiera|deseo|necesito|voy a|pienso|pienso en|estoy pensando en"
        rf"|tengo ganas de|he decidido|decidi|ya decidi) {_ES_HARM}\b",
        # me quiero morir / me voy a matar / me voy a quitar la vida
        r"\bme (?:quiero|voy a) (?:morir|matar|suicidar|quitar la vida)\b",
        # estoy harta de vivir / ya no tiene sentido seguir viviendo
        r"\b(?:estoy|me siento) (?:muy |tan )?(?:harto|harta|cansado|cansada) de (?:vivir"
        r"|la vida|existir|estar vivo|estar viva)\b",
        r"\bno tiene sentido (?:seguir viviendo|vivir|seguir aqui)\b",
        r"\bnadie me (?:extranaria|echaria de menos|va a extranar) si (?:me muero|muero|me mato"
        r"|desaparezco|ya no estoy|no estoy)\b",
        # (ya) no quiero vivir / no quiero estar aqui nunca mas
        r"\bno quiero (?:vivir(?! (?:con|en|de|sin|asi de)\b)|seguir viviendo|seguir aqui"
        r"|estar aqui|existir|despertar(?:me)?)\b",
        r"\bno quiero seguir" + _END,
        # todos estarian mejor sin mi
        r"\b(?:todos|todo el mundo|mi familia|mis hijos|ellos|mi pareja) (?:estarian|estaria"
        r"|estaran|estara|vivirian) mejor sin mi\b",
        # no aguanto mas / ya no puedo mas / no puedo seguir asi
        r"\b(?:no aguanto|ya no puedo|no puedo) mas" + _END,
        r"\bno puedo seguir (?:asi|viviendo)\b",
        # the means and the plan
        r"\b(?:voy a|quiero|pienso|necesito) (?:tomarme|tragarme) (?:todas (?:las|mis)|un frasco"
        r" de|una caja de|muchas) (?:pastillas|pildoras|medicinas|pastas)",
        r"\btengo (?:las|mis|unas|muchas) (?:pastillas|pildoras|medicinas|pastas)"
        r" (?:listas|preparadas|guardadas|contadas|juntadas)",
        r"\btengo un plan para (?:matarme|suicidarme|morir|quitarme la vida)",
        r"\b(?:soy|estoy|me siento) (?:muy )?suicida\b",
        r"\btengo (?:pensamientos|ideas) (?:suicidas|de (?:suicidio|morir|matarme))",
        r"\besta es mi despedida\b",
    ],
    past=r"\b(?:hace (?:\w+ )?(?:anos|meses|tiempo|mucho)|antes de (?:la|mi) recuperacion"
         r"|cuando (?:era|tenia|estaba)|en (?:19|20)\d\d|solia|en el pasado|en mi adiccion"
         r"|en esa epoca|en aquel (?:entonces|tiempo))\b",
    recent=r"\b(?:hoy|ahora|esta noche|anoche|otra vez|de nuevo|todavia|ya no|esta semana)\b",
    reported=r"\b(?:dijo|dice|decia|dicen|dijeron|escribio|grito|susurro|conto|cuenta"
             r"|repetia|frases como|cosas como)\b",
)

FRENCH = _phrases(
    [
        r"\bje (?:veux|voudrais|vais|compte) (?:mourir|me (?:tuer|suicider)|en finir)\b",
        r"\bj'ai envie de (?:mourir|me tuer|en finir|disparaitre)\b",
        r"\bje (?:ne )?veux plus vivre\b",
        r"\bje n'en peux plus" + _END,
        r"\b(?:tout le monde|ma famille) serait mieux sans moi\b",
        r"\bje suis suicidaire\b",
    ],
    past=r"\b(?:il y a (?:\w+ )?ans|quand j'etais|autrefois|en (?:19|20)\d\d|avant ma guerison)\b",
    recent=r"\b(?:ce soir|aujourd'hui|maintenant|encore|cette nuit)\b",
    reported=r"\b(?:dit|disait|a dit|m'a dit|ecrit|a ecrit|des phrases comme)\b",
)

GERMAN = _phrases(
    [
        r"\bich (?:will|mochte|werde|wurde gern) (?:sterben|mich umbringen|mich toten"
        r"|nicht mehr leben)\b",
        r"\bich bringe mich um\b",
        r"\bich (?:will|kann) nicht mehr" + _END,
        r"\b(?:alle|meine familie) (?:waren|ware) besser dran ohne mich\b",
        r"\bich bin suizidal\b",
    ],
    past=r"\b(?:vor (?:\w+ )?jahren|als ich \w+ war|fruher|damals|(?:19|20)\d\d)\b",
    recent=r"\b(?:heute|jetzt|gerade|wieder|heute nacht)\b",
    reported=r"\b(?:sagte|sagt|hat gesagt|schrieb|schreibt|satze wie)\b",
)

PORTUGUESE = _phrases(
    [
        r"\b(?:eu )?(?:quero|vou|preciso) (?:morrer|me matar|acabar com (?:a )?minha vida"
        r"|sumir para sempre|tirar (?:a )?minha (?:propria )?vida)\b",
        r"\bnao quero (?:mais )?(?:viver|estar aqui|existir)\b",
        r"\b(?:todos|todo mundo|minha familia) (?:estariam|ficariam|estaria|ficaria) melhor"
        r" sem mim\b",
        r"\bnao aguento mais" + _END,
        r"\b(?:sou|estou) suicida\b",
    ],
    past=r"\b(?:ha (?:\w+ )?anos|quando eu era|antigamente|em (?:19|20)\d\d)\b",
    recent=r"\b(?:hoje|agora|esta noite|de novo|outra vez)\b",
    reported=r"\b(?:disse|diz|dizia|escreveu|frases como)\b",
)

BY_LANGUAGE: dict[str, Phrases] = {"es": SPANISH, "fr": FRENCH, "de": GERMAN, "pt": PORTUGUESE}
