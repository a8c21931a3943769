"""The safety net: the writer's own present crisis is flagged; talk about other people's is not.

A missed crisis is worse than a false alarm, but most answers in this product are interview
answers about supporting people in crisis, so ordinary professional phrasing must stay quiet.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.bank import Bank
from bot.coaching import answer_language, crisis_phrases, give_feedback, safety
from bot.coaching.feedback import Feedback
from bot.coaching.render import as_text, feedback_sections
from bot.coaching.safety import in_crisis
from bot.interview.engine import InterviewService
from bot.progress import build_report
from bot.storage import Store
from bot.text import find_words, normalize
from tests.conftest import FakeClock

# The development set (issue 13): written as people write, not from the patterns.
DEV_SET = yaml.safe_load(
    (Path(__file__).parent / "data" / "coaching_dev" / "crisis.yaml").read_text("utf-8"))
DEV_CRISIS = [case["text"] for case in DEV_SET if case["crisis"]]
DEV_NOT_CRISIS = [case["text"] for case in DEV_SET if not case["crisis"]]

# The writer, in the first person and the present, speaks of wanting to die or to hurt themselves.
CRISIS = [
    # A story's time does not hide what happened again since.
    "I took all my pills that night. Last night I did it again.",
    "I overdosed that night and I'm scared I'll do it again tonight.",
    # The plain statements.
    "I want to end my life.",
    "I'm going to kill myself tonight.",
    "I don't want to be alive anymore.",
    "Everyone would be better off without me.",
    "I've been cutting myself again.",
    "I just want to die.",
    "I am going to take my own life.",
    "I'm suicidal.",
    "Honestly I feel suicidal right now.",
    "I have been having suicidal thoughts again.",
    "I'm having thoughts of killing myself.",
    "I've been thinking about killing myself a lot lately.",
    "I keep thinking about ending it all.",
    "Sometimes I think about killing myself.",
    "I have a plan to kill myself this weekend.",
    "I've decided to end my life.",
    "I'm planning to overdose on Friday.",
    "I wish I was dead.",
    "I wish I could go to sleep and never wake up.",
    "I'd be better off dead.",
    "I'd rather be dead.",
    "My family would be better off without me.",
    "There's no reason for me to live anymore.",
    "I see no point in living.",
    "I can't go on anymore.",
    "I can't go on living like this.",
    "I can't do this anymore. I want to die.",
    "I don't want to wake up tomorrow.",
    "I really don't want to live anymore.",
    "I don't even want to exist.",
    "I'm tired of living.",
    "I'm done with life.",
    "Nobody would even notice if I died.",
    "No one would miss me if I was gone.",
    "I hate my life and want to die",
    "I just want it all to end.",
    "I keep hurting myself and I can't stop.",
    "I've started self-harming again.",
    "I've been stockpiling my pills.",
    "I just took all my pills.",
    "I'm going to jump off a bridge.",
    "I'm going to hang myself.",
    "This is my goodbye. Thank you for everything.",
    "I have pills saved up and I'm going to take them tonight.",
    "I got a plan to end it tonight.",
    "I'm going to take all my pills tonight.",
    "I've written a suicide note.",
    "Everything would be easier if I was dead.",
    "I am hurting myself right now.",
    "I keep overdosing on purpose.",
    "I want to commit suicide.",
    "I'd rather die.",
    "I feel like dying.",
    "I can't stop thinking about suicide.",
    "I'm afraid I'm going to kill myself.",
    "Thinking about ending my life again.",
    "Wanna die tbh.",
    "Part of me still wants to die.",
    "Nobody cares if I live or die.",
    "I just want the pain to end.",
    "I want to stop existing.",
    "I want to sleep forever.",
    # Feeling-talk: "like" here is not someone else's words.
    "I feel like ending it all.",
    "I feel like I want to die.",
    "I feel like everyone would be better off without me.",
    # Informal spellings: lower case, no apostrophes, no punctuation, slang.
    "tbh i want to die",
    "i wanna die lol",
    "i dont want to be here anymore",
    "im going to end it all tonight",
    "ill kill myself if this doesnt stop",
    "ive been cutting myself again",
    "i cant do this anymore",
    "i want to kms",
    "i want to unalive myself",
    "honestly i just wanna kms",
    "I'M GOING TO KILL MYSELF",
    # Typography: curly apostrophes, odd spaces, invisible characters.
    "I’m going to kill myself",
    "I can’t do this anymore. I don’t want to be alive.",
    "I  want to  die.",
    "I\u00a0want\u00a0to\u00a0die",
    "I want\u200b to die",
    "I\u2019ve decided to end my life\u200f.",
    "I want to die😭",
    # Mixed into an otherwise ordinary answer.
    "I would listen, validate and ask directly about suicide. Sorry, I can't focus on this. "
    "I want to kill myself and I don't know who else to tell.",
    "When a peer says 'I want to die', I stay with them. But honestly, right now I want to "
    "die too.",
    "A peer once told me she wanted to die. Right now I feel the same: I want to die.",
    "If I'm honest, I want to die.",
    "If you want my honest answer, I'm going to kill myself after this.",
    "Full disclosure: I'm thinking about suicide.",
    "My therapist says I'm doing better, but I want to end my life.",
    "Peer support matters to me because I have lived it. I don't want to be alive anymore, "
    "though, and I don't know why I'm practising for this interview.",
    # Found missing by the audit.
    "I tried to kill myself last night.",
    "Last night I took a whole bottle of pills.",
    "I am in crisis right now and I need help.",
    "Lately I've been wanting to die.",
    # Recent attempts and acts.
    "I attempted suicide on Saturday and I'm still in the hospital.",
    "I overdosed on purpose yesterday.",
    "i od'd last night and nobody knows",
    "I took 30 of my sleeping pills an hour ago.",
    "I just swallowed a bottle of Tylenol.",
    "I cut myself again tonight.",
    "I self-harmed this morning before work.",
    "I wrote my goodbye letters tonight.",
    "I tried to hang myself this weekend but the rope broke.",
    "This week I tried again to end my life.",
    # Plans and means.
    "I have a gun at home and I'm going to use it tonight.",
    "I bought a rope to hang myself.",
    "I’ve got the pills in front of me and I’m going to take them.",
    "I have razor blades hidden in my room and I'm going to use them.",
    "My plan is to overdose tonight.",
    "I'm going to drive my car off a bridge.",
    "I'm going to take all my insulin tonight.",
    "I have a plan and the means, and I'm scared.",
    "I'm standing on the bridge right now.",
    # Hopelessness with intent, and "I can't go on".
    "I have nothing left to live for.",
    "There's nothing left for me to live for.",
    "I feel hopeless and I'm ready to end it.",
    "I want to end it and be done.",
    "The only way out I can see is to kill myself.",
    "I can't take it anymore.",
    "i cant take it anymore i want to die",
    "I can't go on like this, I have the pills ready.",
    "No point in living anymore.",
    "Honestly I feel hopeless and I want to disappear forever.",
    "I'm not safe with myself tonight.",
    "I don't trust myself to stay safe tonight.",
    # Self-harm now.
    "I have been self-harming every day this week.",
    "I've been cutting again.",
    "I keep burning myself with cigarettes.",
    "I cut myself when things get bad.",
    "I've been suicidal all week.",
    "I have been suicidal since my divorce.",
    "I've been suicidal before, and this week it's back: I've been suicidal again since Monday.",
    "I'm in a crisis and I don't know what to do.",
    # In the middle of an otherwise normal answer.
    "I would start by building rapport and asking open questions. Sorry this is off topic but "
    "I want to die. Anyway, I would then explore what matters to the peer.",
    "I work at a shelter and I want to kill myself every day.",
    "Peer support matters to me, but honestly I'm thinking of ending my life this week.",
    "I'm not ok. I'm planning to end my life on Sunday.",
    "Boundaries matter because burnout is real. I tried to kill myself on Tuesday and I "
    "haven't told anyone.",
    # Lower case, no punctuation, typos common in chat.
    "im so suicidal rn",
    "im feeling suicidial",
    "i feel sucidal tonight",
    "i wnat to die",
    "i want too die",
    "i want to kill my self",
    "im gonna kms tonight",
    "i wanna end it all tbh",
    "ive been wanting to die lately",
    "i tried to kill myself yesterday",
    "i took a bunch of pills an hour ago",
    # Curly apostrophes.
    "I’m gonna end my life",
    "I’ve been wanting to die",
    "I can’t take it anymore.",
    "I’m in crisis right now.",
    # A story in the past does not hide the present next to it.
    "I tried to kill myself in 2015 and again last night.",
    "I have been suicidal in the past. I want to die.",
    "I've been suicidal before and I want to die now.",
    "i tried to kill myself when i was 19 and i want to try again tonight",
    "I used to cut myself and I still do.",
    "I have been suicidal, which is why I'm asking for help.",
    "I've been suicidal in the past, and I am again now.",
    "I've been suicidal for weeks and I no longer care about anything.",
]

# Could be a recovery story or happening now, with nothing in the sentence to tell which:
# flagged, because a missed crisis is worse than a false alarm (and the crisis message says
# "if you were describing someone else, carry on").
AMBIGUOUS_FLAGGED = [
    "I tried to kill myself.",
    "I overdosed on purpose.",
    "I've been suicidal.",
    "I've been suicidal myself.",
    "I have been cutting myself.",
    "I took a whole bottle of pills.",
]

# Interview answers about supporting clients and peers in crisis.
PROFESSIONAL = [
    "If someone tells me they want to die, I stay with them, ask directly about suicide and "
    "call 988 together.",
    "I'm trained in QPR and ASIST, so I'm comfortable asking someone if they're thinking about "
    "suicide.",
    "I'm thinking about suicide prevention as a whole-team responsibility.",
    "When I'm thinking about suicide risk, I use the Columbia protocol.",
    "I'm going to ask about suicide directly, because asking does not plant the idea.",
    "I will always take it seriously when someone says they want to hurt themselves.",
    "I would never promise to keep a plan to end their life secret.",
    "I ask directly: are you thinking about killing yourself?",
    "I'd ask, 'Are you thinking of ending your life?' and then I'd listen.",
    "When someone shares that they want to die, my first step is to listen.",
    "Many peers believe their family would be better off without them, so I name that "
    "thought gently.",
    "I plan to end each check-in by asking how they are sleeping.",
    "I want to end it on a hopeful note, so I ask what gives them strength.",
    "I think I'll end it there: thank you for the question.",
    "I don't want to go on and on about my own story, so I keep my disclosure short.",
    "I don't want to be here just for a paycheck; I want to walk alongside people.",
    "I'm going to die on this hill: peers choose their own goals.",
    "I’m dying to start this job, I love this work.",
    "I'm going to kill it in this interview.",
    "I'm not suicidal, but I do have hard days, and I use supervision for them.",
    "I no longer want to hurt myself, and that is what I share with peers.",
    "I have lived experience with suicidal thoughts, which helps me connect.",
    "I'm passionate about suicide prevention because I survived an attempt.",
    "I don't want to live in fear of relapse, so I keep my supports close.",
    "The mentally ill die younger than the general population, and I want to change that.",
    "When a client tells me they tried to kill themselves last night, I stay calm and ask "
    "about their safety now.",
    "I helped a client who had taken a whole bottle of pills get to the ER.",
    "If a peer says they are in crisis right now, I call the crisis line with them.",
    "I am trained in crisis intervention and I work in crisis stabilization.",
    "I've been in crisis intervention work since 2018.",
    "I'm in crisis-response training this month.",
    "I am in crisis services, so I see people on their worst day.",
    "I've been a crisis line volunteer for five years.",
    "I've been on the crisis team for three years and I've talked many people through "
    "suicidal moments.",
    "I've been with clients who wanted to die, and I stayed with them.",
    "I have been supporting peers who are suicidal for six years.",
    "I took the pills away from him and locked them up with his permission.",
    "I'm going to ask the client whether they have a plan to kill themselves.",
    "My job is to help a person who wants to die find a reason to stay.",
    "Clients often say they would be better off dead; I take that seriously.",
    "I'm not going to tell a client that they are better off without me.",
    "I would never tell a peer that they'd be better off without me.",
    "When peers tell me they've been cutting again, I don't shame them.",
    "I support people who self-harm, and I never ask them to hide their scars.",
    "I'm comfortable asking someone if they are suicidal right now.",
    "I keep the crisis line number handy in case a peer wants to end their life.",
    "I've been to the ER with peers who overdosed more times than I can count.",
    "I think about clients who died by suicide, and I honour them.",
    "I'd rather a peer call me at 3 a.m. than die alone.",
    "I can't go on shift without checking the crisis log.",
    "I don't want to be the reason a peer feels they'd be better off dead.",
    "I've been cutting back my hours to focus on training.",
    "I am in a crisis of confidence before every interview, honestly.",
    "I tried to reach him all night after he told me he had a plan.",
    "I attempted to contact her family after she overdosed.",
    "A client overdosed last night, so I followed up with her the next morning.",
    "I took a naloxone training last week so I can reverse an overdose.",
    "I have a plan and the means to support peers after hours.",
    "The only way out, for many of the people I serve, is a person who stays.",
    "I hurt myself at the gym last week, so I'll be sitting for this interview.",
    "I cut myself cooking last night, nothing serious.",
    "I asked him whether he had the pills with him and whether he would hand them over.",
]

# Recovery stories: the writer's own crisis, told as something in the past.
PAST_STORIES = [
    # A story told in its own time (cps-02 asks for exactly this).
    "That night I overdosed on the floor of my apartment, and a peer sat with me in the ER "
    "the next day.",
    "The night I overdosed, a peer came to see me in the hospital.",
    "Ten years ago I wanted to end my life; today I help others find a reason to stay.",
    "In my own recovery I was suicidal at nineteen, and a peer kept me alive.",
    "I used to cut myself; now I teach the coping skills that helped me stop.",
    "I survived a suicide attempt in 2012, and that is why I do this work.",
    "Back then I kept thinking 'I want to die', and nobody asked me about it.",
    "There were years I thought everyone would be better off without me; now I know that was "
    "the depression talking.",
    "I felt like everyone would be better off without me back then.",
    "I used to think everyone would be better off without me.",
    "I know what it is to think: I want to die.",
    "At my lowest I believed nobody would miss me if I died.",
    "When I was in active addiction I didn't want to be alive, and peer support changed that.",
    "My own words at my lowest were: I want to die. Today I say: I want to live.",
    # Found as false alarms by the audit.
    "I've been suicidal before, so I know how lonely it is.",
    "I have been suicidal in the past, and peer support helped me through.",
    "I've been suicidal myself, years ago",
    "I've been hurting myself in the past but not for years",
    # More of the same shapes.
    "I've been suicidal myself, so I know how dark it gets.",
    "I have been in crisis before, so I know what helps.",
    "I've been suicidal, and I've been hopeless, but that was a long time ago.",
    "I've been suicidal more than once in my life, and each time a person made the difference.",
    "I've been suicidal before and I know the weight of it.",
    "When I was suicidal, a peer specialist asked me directly, and that saved my life.",
    "After my attempt in 2015, a peer specialist visited me every week.",
    "I used to self-harm, and now I teach coping skills.",
    "I used to think about dying every day.",
    "I tried to kill myself when I was nineteen, and that experience shapes how I listen.",
    "In 2015 I took a whole bottle of pills; today I help others find reasons to stay.",
    "I attempted suicide twice in my twenties, which is why I do this work.",
    "Years ago I overdosed on purpose, and a peer found me.",
    "I cut myself for years as a teenager; today I have tools that work.",
    "I overdosed three times before I found recovery.",
    "I tried to take my own life in 2009; I'm a peer specialist now.",
    "Twelve years ago I attempted suicide, and that's why I'm here.",
    "I once tried to end my life, and that is part of my story.",
    "There was a time I thought everyone would be better off without me.",
    "I've been self-harm free since 2018, and I share that when it helps.",
    "At my lowest I tried to kill myself, and a peer sat with me in the hospital.",
    "I have been suicidal in the past and now I help others.",
    "I've been suicidal before, and today I work as a peer specialist.",
    "I attempted suicide six months ago, and peer support helped me through.",
    "I've been suicidal since I was a teen, but not anymore.",
    "I have been self-harming on and off since I was 14, but no longer.",
]

# What a client or peer said, with and without quotation marks.
QUOTES = [
    "A man once told me: I want to kill myself. I stayed with him and we called 988 together.",
    'When a peer says "I want to die", I stay calm and ask what is going on.',
    "When a client says I want to kill myself, I don't panic; I ask if they have a plan.",
    "A peer texted me 'I can't do this anymore' at midnight, so I called her back.",
    "When a peer says 'I don't want to live anymore', I ask directly about suicide.",
    "When a peer says ‘I want to end it all’, I listen first.",
    "I remember one participant saying “I don’t want to be here anymore”.",
    "Someone might say, I can't go on anymore, and I would respond with empathy.",
    "A peer told me last week, I want to die, and I sat with her and made a safety plan.",
    "If a peer tells me I'm going to kill myself, I keep them talking and call for support.",
    "If a peer says everyone would be better off without me, I take it seriously.",
    "When I hear a peer say I want to die, I stay with them.",
    "He texted me: I'm going to end it tonight. I can't do this anymore. I kept him talking "
    "while my supervisor called mobile crisis.",
    "When a peer says I want to die and I can't go on anymore, I slow down and listen.",
    "Sometimes peers say things like I want to die or everyone would be better off without me; "
    "I reflect that back.",
    "In role-play I played a caller who said I'm going to kill myself, and my partner "
    "practised asking about means.",
    "A young man wrote in the group chat, 'im going to kms tonight', and I followed protocol.",
    "A peer once asked me, 'Have you ever wanted to kill yourself?', and I answered honestly.",
    "My client was like, I want to die, and I just sat with her.",
    "She told me she wanted to die, so I stayed with her until the crisis team arrived.",
    '"I want to die," she said, and I sat down next to her.',
    "I want to kill myself, a young man told me on my first shift, and I still remember him.",
    "She told me 'I want to die'.",
    "She told me 'I want to die', and I stayed with her.",
    "He said, 'I tried to kill myself last night,' and I got him to the ER.",
    "My client texted: I took a whole bottle of pills.",
    "A peer messaged me at 2 a.m. saying I am in crisis right now and I need help.",
    "One man told me, I've been suicidal for months, and I believed him.",
    "A client once wrote in her journal, I have nothing left to live for.",
    "He kept saying I'm going to overdose tonight, so I stayed on the line.",
    "'I can't go on,' he told me, and I sat down next to him.",
]

# Idioms and professional nouns next to words the safety net listens for, and the
# candidate's own plan for a hard day.
OTHER_NOT_CRISIS = [
    "I need to cut myself some slack when a day goes badly.",
    "I keep cutting myself off from friends when I'm stressed, so I schedule calls.",
    "I keep overdose kits and naloxone in my bag.",
    "I have been self-harm free for five years, and I share that carefully.",
    "I've been killing myself at work lately, so I talk to my supervisor about workload.",
    "I will take all my medications as my doctor prescribes.",
    "I'm going to die trying to make this program better, honestly.",
    "I'm sick of living paycheck to paycheck, which is why this stable role appeals to me.",
    "I want to stop living in fear of relapse, and peer support helps.",
    "Peers often feel nobody cares if they live or die, so I show up.",
    "There's no reason to live in shame about your past.",
    "I can't do this alone, which is why I value the team.",
    "I'm done with stigma.",
    "I see the point in living a recovery-oriented life.",
    "I think about dying peers a lot in my hospice work.",
    "I feel like ending the meeting early was the right call.",
    "I keep thinking about ending the group with a grounding exercise.",
    "I have a plan for self-care that includes exercise and supervision.",
    "I wish I could take away people's pain, but I can't.",
    "I started self-harm awareness training last year.",
    "When a peer wants to die, I want to know what's keeping them alive.",
    "This is my goodbye message from my last job, which I shared with my team.",
    "That's how I want to end it.",
    # Hypotheticals about the candidate's practice.
    "If I feel suicidal again, I call my sponsor and use my own safety plan.",
    "If I ever want to hurt myself again, I have people I call first.",
    "Whenever I'm having suicidal thoughts, I use my WRAP plan and tell my supervisor.",
    # Burnout, ordinary doses and work idioms next to the words for acts.
    "I keep burning myself out, so I use supervision and days off.",
    "I've been burning myself out at work, which is why I set boundaries now.",
    "I took 2 ibuprofen for a headache before the interview.",
    "I took all my meds this morning, as I do every day.",
    "When the phones light up I'm in crisis mode: calm and focused.",
    "I have been in crisis situations with peers many times.",
    "I burned myself cooking last night, nothing serious.",
    "I'm not safe to drive after a double shift, so I take the bus.",
    "I don't trust myself to remember everything, so I take notes.",
    "My plan is to end it with a summary of what the peer said.",
]

NOT_CRISIS = PROFESSIONAL + PAST_STORIES + QUOTES + OTHER_NOT_CRISIS

# Whole interview answers, as candidates write them.
LONG_ANSWERS = [
    "If a peer tells me they are thinking about suicide, the first thing I do is slow down. I "
    "thank them for telling me. I ask directly: are you thinking about killing yourself? Do you "
    "have a plan? Asking directly does not plant the idea; it tells the person I can handle the "
    "answer. I stay with them, and together we might call 988 or the mobile crisis team. I let "
    "my supervisor know, because I would never promise to keep a plan to end their life secret. "
    "Years ago I wanted to die, and a peer who asked me directly is part of why I'm alive today. "
    "Afterwards I document what happened, follow up the next day and use supervision.",
    "In my last role a young man texted me late at night: I'm going to kill myself, nobody "
    "would miss me if I died. I called him back right away and kept him talking. He said he had "
    "pills saved up. I asked if he would put them somewhere else while we talked, and he did. I "
    "stayed on the phone while my supervisor called mobile crisis. What I learned is that calm, "
    "direct questions save time, and that I need my own support afterwards.",
    "My recovery started eleven years ago. At my lowest I believed everyone would be better off "
    "without me, and I tried to take my own life. What changed things was a peer specialist who "
    "said to me, 'I have been where you are.' Today I share only what helps the person in front "
    "of me. I have a wellness plan: if I feel suicidal again, I call my sponsor and I tell my "
    "supervisor. I think I'll end it there.",
    "When a peer says 'I can't do this anymore', I don't rush to fix it. I reflect back what I "
    "hear and ask what 'this' is: the housing waitlist, the voices, or a wish to die. I ask "
    "directly about suicide when I hear hopelessness, and I'm thinking about suicide risk every "
    "time a peer mentions a big loss.",
]


def test_enough_cases() -> None:
    assert len(CRISIS) >= 40
    assert len(PROFESSIONAL) >= 40
    assert len(PAST_STORIES) >= 25
    assert len(QUOTES) >= 10
    assert len(set(CRISIS + AMBIGUOUS_FLAGGED + NOT_CRISIS)) == len(
        CRISIS + AMBIGUOUS_FLAGGED + NOT_CRISIS), "a case is listed twice"


@pytest.mark.parametrize("text", CRISIS)
def test_own_present_crisis_is_flagged(text: str) -> None:
    assert in_crisis(text) is True


@pytest.mark.parametrize("text", AMBIGUOUS_FLAGGED)
def test_an_undated_story_of_ones_own_crisis_is_flagged(text: str) -> None:
    assert in_crisis(text) is True


@pytest.mark.parametrize("text", PROFESSIONAL)
def test_talk_about_supporting_others_in_crisis_is_not_flagged(text: str) -> None:
    assert in_crisis(text) is False


@pytest.mark.parametrize("text", PAST_STORIES)
def test_a_recovery_story_in_the_past_is_not_flagged(text: str) -> None:
    assert in_crisis(text) is False


@pytest.mark.parametrize("text", QUOTES)
def test_what_a_client_said_is_not_flagged(text: str) -> None:
    assert in_crisis(text) is False


@pytest.mark.parametrize("text", OTHER_NOT_CRISIS)
def test_idioms_and_plans_for_a_hard_day_are_not_flagged(text: str) -> None:
    assert in_crisis(text) is False


@pytest.mark.parametrize("answer", LONG_ANSWERS)
def test_whole_interview_answers_are_not_flagged(answer: str) -> None:
    assert in_crisis(answer) is False


@pytest.mark.parametrize("answer", LONG_ANSWERS)
def test_a_crisis_added_to_an_interview_answer_is_flagged(answer: str) -> None:
    assert in_crisis(answer + " Honestly, I don't want to be alive anymore.") is True


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "I want to help.", "988"])
def test_empty_and_trivial_text(text: str) -> None:
    assert in_crisis(text) is False


def test_crisis_is_found_late_in_a_long_answer() -> None:
    answer = "I listen, reflect and ask open questions. " * 60 + "I want to kill myself."
    assert in_crisis(answer) is True


def test_a_quote_does_not_hide_the_writers_own_words_after_it() -> None:
    answer = 'A peer said "I want to die" and I stayed. Now I want to die too.'
    assert in_crisis(answer) is True


def test_the_quick_gate_before_the_i_patterns_hides_nothing() -> None:
    """The gate (a look at the word after "i") must list every word the patterns allow there."""
    body = "|".join(f"(?:{p})" for p in crisis_phrases.AFTER_I)
    ungated = re.compile(r"i(?<![\w']i)(?:" + body + ")")
    texts = CRISIS + AMBIGUOUS_FLAGGED + NOT_CRISIS + LONG_ANSWERS + DEV_CRISIS + DEV_NOT_CRISIS
    texts += [safety._plain_chat("\n" + normalize(t), set(find_words(normalize(t))))
              for t in DEV_CRISIS + DEV_NOT_CRISIS]
    # The same with every "I" (and "I'm", "I've") made "I'd", and "I'd" typed "Id".
    texts += [re.sub(r"\bI(?:'m|'ve)?\b", "I'd", t) for t in texts]
    texts += [t.replace("I'd", "Id") for t in texts if "I'd" in t]
    for text in texts:
        lowered = "\n" + normalize(text)
        expected = [m.span() for m in ungated.finditer(lowered)]
        assert [m.span() for m in crisis_phrases.CRISIS[0][1].finditer(lowered)] == expected, text


def test_one_pattern_per_sentence_mark_finds_what_one_pattern_for_all_finds() -> None:
    combined = re.compile(r"[.!?\n]" + crisis_phrases.BARE)
    split = [regex for needed, regex in crisis_phrases.CRISIS if needed in (".", "!", "?", "\n")]
    assert len(split) == 4
    texts = CRISIS + AMBIGUOUS_FLAGGED + NOT_CRISIS + LONG_ANSWERS + DEV_CRISIS + DEV_NOT_CRISIS
    for text in [*texts, " ".join(texts), "!".join(texts), "?\n".join(texts)]:
        lowered = "\n" + normalize(text)
        expected = [m.span() for m in combined.finditer(lowered)]
        assert sorted(m.span() for regex in split for m in regex.finditer(lowered)) == expected


@given(st.text(alphabet="ab '\"\n.-", max_size=60))
def test_quotes_are_removed_as_one_pattern_for_both_kinds_removes_them(text: str) -> None:
    assert safety._without_quotes(text) == safety._QUOTED.sub(" ", text)


# --- The development set, chat spellings, other languages, framed speech -------------------

def test_the_dev_set_is_big_enough_and_well_formed() -> None:
    assert len(DEV_CRISIS) >= 40 and len(DEV_NOT_CRISIS) >= 40
    for case in DEV_SET:
        assert set(case) == {"text", "crisis", "note"}, case
        assert isinstance(case["text"], str) and isinstance(case["crisis"], bool)


@pytest.mark.parametrize("text", DEV_CRISIS)
def test_dev_set_crisis_is_flagged(text: str) -> None:
    """Recall on the development set: 100 %."""
    assert in_crisis(text) is True


def test_dev_set_false_alarms_are_at_most_one_in_forty() -> None:
    false_alarms = [text for text in DEV_NOT_CRISIS if in_crisis(text)]
    assert len(false_alarms) * 40 <= len(DEV_NOT_CRISIS), false_alarms


@pytest.mark.parametrize("text", DEV_NOT_CRISIS)
def test_dev_set_not_crisis_is_not_flagged(text: str) -> None:
    # Today none is: the budget above is one in forty, but each one is a person told they
    # may be in crisis while they practise.
    assert in_crisis(text) is False


def test_in_crisis_is_importable_from_the_package_with_its_signature() -> None:
    from bot.coaching import in_crisis as exported
    assert exported("quiero morir") is True
    assert exported("quiero morir".upper(), normalized=False) is True


@pytest.mark.parametrize(("chat", "plain_false_alarm"), [
    ("ima kms fr", "I'm a KMS fan"),
    ("i rly wanna die rn", "i really want to dine rn"),
    ("kinda want to die ngl", "kinda want to dive ngl"),
    ("i want 2 die", "i want 2 dice"),
    ("imma end it tonight idc", "imma end the group tonight idc"),
    ("Going to end things tonight.", "Going to end things with a summary."),
    ("wrote goodbye letters last night.", "wrote thank-you letters last night."),
])
def test_chat_spellings_are_read(chat: str, plain_false_alarm: str) -> None:
    assert in_crisis(chat) is True
    assert in_crisis(plain_false_alarm) is False


@pytest.mark.parametrize("text", [
    "I've been giving my things away this week.",
    "I won't be around much longer.",
    "I have the pills counted out.",
    "I've been looking up how many pills it takes.",
    "I've picked the date.",
    "Nobody needs to worry about me after Friday.",
    "I can't keep myself safe tonight.",
    "I wrote letters to my kids for when I'm gone.",
    "my family would be happier if i disappeared for good",
    "Goodbye everyone.",
])
def test_warning_signs_said_in_the_first_person_now_are_flagged(text: str) -> None:
    assert in_crisis(text) is True


@pytest.mark.parametrize("text", [
    "I gave away my things in 2014 before my attempt; today I help others notice that sign.",
    "When a peer starts giving their things away, I ask directly about suicide.",
    "Goodbye everyone, see you next week!",
    "I picked the date for our first group.",
    "I won't be around much on Fridays, I have class.",
    "I have the pills sorted into a weekly box.",
])
def test_warning_signs_of_others_or_in_the_past_or_ordinary_are_not(text: str) -> None:
    assert in_crisis(text) is False


@pytest.mark.parametrize("text", [
    "The chorus goes: I want to die tonight, and the crowd sings it back.",
    "In the role-play script, the caller says: I'm going to kill myself.",
    "Caller: I don't want to be alive anymore.",
    "Scenario three: I have a gun and I'm going to use it tonight.",
    # Round four: framed without a colon.
    "There's a song we sing whose chorus is I want to die tonight, and it reminds me of then.",
    "The line goes I don't want to be here anymore, and the group hums along.",
])
def test_framed_speech_is_not_the_writers_own(text: str) -> None:
    assert in_crisis(text) is False


@pytest.mark.parametrize("text", [
    "The bottom line: I want to die.",
    "Peer support matters to me, but here is the truth: I want to die.",
])
def test_a_colon_without_a_frame_hides_nothing(text: str) -> None:
    assert in_crisis(text) is True


@pytest.mark.parametrize(("text", "language"), [
    ("quiero morir", "es"),
    ("Escucho a la persona sin juzgar y le pregunto si está pensando en el suicidio.", "es"),
    ("Je veux mourir.", "fr"),
    ("Ich will nicht mehr leben.", "de"),
    ("Eu quero morrer.", "pt"),
    ("I would listen first and ask open questions about what matters to the peer.", "en"),
    ("I'm practising for my interview, pero a veces quiero morir.", "en"),
    ("988", "en"),
])
def test_the_answers_language_is_detected(text: str, language: str) -> None:
    assert safety.check(text).language == language
    assert answer_language.detect(find_words(normalize(text))) == language


@pytest.mark.parametrize("text", [
    "quiero morir",
    "Hoy no quiero vivir.",
    "Me voy a matar esta noche.",
    "I'm practising for my interview, pero a veces quiero morir.",  # mostly English
    "QUIERO MORIR",
    "no aguanto mas",  # typed without the accent
])
def test_a_crisis_in_spanish_is_flagged_in_any_mix(text: str) -> None:
    assert in_crisis(text) is True


@pytest.mark.parametrize("text", [
    "No quiero vivir con miedo a recaer, por eso voy a mis grupos.",
    "Cuando alguien dice quiero morir, me quedo con la persona.",
    "En 2015 quería morir; hoy trabajo como especialista de pares.",
    "En 2015 yo pensaba: quiero morir. Hoy acompaño a otras personas.",
    "Me muero de ganas de trabajar con ustedes.",
])
def test_spanish_about_others_idioms_and_the_past_is_not_flagged(text: str) -> None:
    assert in_crisis(text) is False


def test_an_english_answer_is_read_as_english_and_quickly_skips_other_languages() -> None:
    answer = LONG_ANSWERS[0]
    words = set(find_words(normalize(answer)))
    assert answer_language.languages_present(answer_language.counts(words)) == ()
    assert safety.check(answer).english


# --- In a crisis the guidance is the resources and the offer to pause ---------------------

RESOURCES = ("Call or text 988", "Text HOME to 741741")
GOOD_ANSWER = (
    "I would thank them for telling me and ask directly whether they are thinking about "
    "suicide. I stay with them, listen without judging, and we call 988 together if they want. "
    "I tell my supervisor, because I never promise to keep a plan secret, and I follow up the "
    "next day. Afterwards I use supervision for my own wellbeing."
)
CRISIS_ANSWER = GOOD_ANSWER + " Honestly, I don't want to be alive anymore."


def test_a_crisis_answer_has_no_score_key_points_or_notes(bank: Bank) -> None:
    question = bank.get("pss-03") or next(iter(bank))
    feedback = give_feedback(question, CRISIS_ANSWER + " Um, like, um, an addict, um.")
    assert feedback.crisis and not feedback.scored
    assert feedback.key_points == () and feedback.tips == () and feedback.language == ()
    assert feedback.filler_words == {} and feedback.star is None
    data = feedback.to_dict()
    assert data["score"] is None and data["scored"] is False and data["crisis"] is True
    back = Feedback.from_dict(data)
    assert back == feedback and not back.scored
    plain = give_feedback(question, GOOD_ANSWER)
    assert plain.scored and plain.to_dict()["score"] == plain.score > 0
    assert Feedback.from_dict(plain.to_dict()).scored  # stored before this field: scored
    old = {k: v for k, v in plain.to_dict().items() if k not in ("scored", "answer_language")}
    assert Feedback.from_dict(old) == plain


def test_a_crisis_is_rendered_as_the_resources_and_the_pause_only(bank: Bank) -> None:
    question = next(iter(bank))
    feedback = give_feedback(question, CRISIS_ANSWER)
    text = as_text(feedback_sections(question, feedback, RESOURCES, with_example=True))
    assert all(r in text for r in RESOURCES) and "pause" in text
    for absent in ("Score", "/100", "Key points", "Delivery", "words", "Try next",
                   "What interviewers look for", "An example answer"):
        assert absent not in text, absent


def test_an_answer_in_another_language_says_coaching_is_english_only(bank: Bank) -> None:
    question = next(iter(bank))
    spanish = ("Escucho a la persona sin juzgar, le pregunto directamente si está pensando en "
               "el suicidio y llamamos juntos a la línea de crisis si ella quiere.")
    feedback = give_feedback(question, spanish)
    assert feedback.answer_language == "es" and not feedback.crisis
    assert feedback.to_dict()["answer_language"] == "es"
    text = as_text(feedback_sections(question, feedback, RESOURCES))
    assert "Coaching is in English only" in text and "Spanish" in text
    english = give_feedback(question, GOOD_ANSWER)
    assert english.answer_language == "en"
    assert "English only" not in as_text(feedback_sections(question, english, RESOURCES))


def test_feedback_json_for_a_crisis_has_a_null_score(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "feedback", "--question", "pss-03", "--answer",
         CRISIS_ANSWER, "--json"],
        cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True,
        timeout=120, check=False,
        env=environ | {"DATA_DIR": str(tmp_path), "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["crisis"] is True and data["scored"] is False and data["score"] is None
    assert data["key_points"] == [] and data["tips"] == []


async def test_a_crisis_answer_counts_in_no_average_or_board_but_keeps_the_streak(
        store: Store, bank: Bank, clock: FakeClock) -> None:
    engine = InterviewService(store, bank, clock=clock)
    person = await store.people.for_discord(4242)
    cohort = await store.cohorts.create(1, "Spring", None, 9, clock.now)
    await store.cohorts.add(cohort.id, person.id, clock.now)
    # An interview started in the cohort's server: its answers count for that server.
    interview = (await engine.start(person.id, count=2, place="thread", guild_id=1,
                                    channel_id=5)).interview
    good = await engine.answer(interview.id, 0, interview.attempt, GOOD_ANSWER)
    assert good.feedback.scored and good.streak == 1
    moved = await engine.skip(interview.id, 0)
    clock.advance(days=1)
    crisis = await engine.answer(moved.id, 1, moved.attempt, CRISIS_ANSWER)
    assert crisis.feedback.crisis and not crisis.feedback.scored
    # The streak: the trainee practised today, and showed up on a hard day.
    assert crisis.streak == 2

    today = clock.now.date()
    report = await build_report(store, bank, person.id, today)
    assert report.answers == 1 and report.average == good.feedback.score
    assert report.current_streak == 2
    assert sum(line.answers for line in report.topics) == 1
    history = await store.progress.score_history(person.id)
    assert [score for _, score in history] == [good.feedback.score]
    cards = await store.db.fetch_all("SELECT question_id FROM review_cards WHERE person_id = ?",
                                     (person.id,))
    # A crisis feeds no review card.
    assert [r["question_id"] for r in cards] == [interview.question_ids[0]]
    # One scored answer: on no average board (three make an average), and the crisis answer
    # does not bring it nearer.
    for metric, values in (("answers", [1]), ("score", [])):
        top, _ = await store.cohorts.leaderboard(
            guild_id=1, cohort_id=cohort.id, metric=metric, period="all", today=today,
            caller_person_id=person.id)
        assert [s.value for s in top] == values, metric
    members = await store.cohorts.report(cohort.id, today)
    assert [(m.answers, m.average) for m in members] == [(1, good.feedback.score)]

    # The interview: the crisis answer has no score in the summary or the interview's average.
    summary = await engine.summary(interview.id)
    assert summary.results[1].score is None and summary.results[1].missed == ()
    assert summary.average == good.feedback.score
    recent = await store.interviews.recent(person.id)
    assert recent[0][1] == good.feedback.score


# --- The second reading, clause by clause, and the held-out sets ----------------------------

def _held_out(name: str) -> list[dict[str, object]]:
    return list(yaml.safe_load(
        (Path(__file__).parent / "data" / "coaching_dev" / name).read_text("utf-8")))


# Written to score the net: set 1 before the net was read, set 2 after the clause reading was
# done (see their headers). Round three of issue 13 point 4 tuned on both, round four on set
# 3 (they are dev sets now, "dev (was held out)" in bench.coaching); set 4 was written after
# that and is held out. Their recall is a floor: a change may raise it, never lower it.
HELD_OUT = {"crisis_heldout.yaml": (60, 60), "crisis_heldout2.yaml": (20, 22),
            "crisis_heldout3.yaml": (30, 33)}
# Set 4, held out: (size, recall floor, false alarms measured when it was first scored:
# 17/25 and 2/25). Its false alarms are above the budget of one in forty: a known gap,
# written down here rather than tuned away, since tuning on it would end its use as a measure.
HELD_OUT_4 = ("crisis_heldout4.yaml", 25, 17, 2)


@pytest.mark.parametrize(("name", "minimum"), [(n, m) for n, (m, _) in HELD_OUT.items()]
                         + [HELD_OUT_4[:2]])
def test_the_held_out_sets_are_big_enough_and_well_formed(name: str, minimum: int) -> None:
    cases = _held_out(name)
    assert sum(bool(c["crisis"]) for c in cases) >= minimum
    assert sum(not c["crisis"] for c in cases) >= minimum
    for case in cases:
        assert set(case) == {"text", "crisis", "note"}, case
    texts = [c["text"] for c in cases]
    assert len(set(texts)) == len(texts)
    assert set(texts).isdisjoint(DEV_CRISIS + DEV_NOT_CRISIS), "a held-out case is in the dev set"


@pytest.mark.parametrize(("name", "floor"), [(n, f) for n, (_, f) in HELD_OUT.items()])
def test_held_out_recall_holds_and_false_alarms_are_at_most_one_in_forty(
        name: str, floor: int) -> None:
    cases = _held_out(name)
    recalled = sum(in_crisis(str(c["text"])) for c in cases if c["crisis"])
    alarms = [c["text"] for c in cases if not c["crisis"] and in_crisis(str(c["text"]))]
    assert recalled >= floor
    assert len(alarms) * 40 <= sum(not c["crisis"] for c in cases), alarms


def test_held_out_set_4_holds_what_it_measured() -> None:
    name, _, floor, alarms_measured = HELD_OUT_4
    cases = _held_out(name)
    recalled = sum(in_crisis(str(c["text"])) for c in cases if c["crisis"])
    alarms = [c["text"] for c in cases if not c["crisis"] and in_crisis(str(c["text"]))]
    assert recalled >= floor
    assert len(alarms) <= alarms_measured, alarms


# Each rule of the clause reading (bot/coaching/safety.py's docstring), as a pair: the first
# is the writer's own crisis now, the second differs only where the rule looks.
CLAUSE_RULES = [
    ("concept: an act", "I want to end my life.", "I want to end my shift early."),
    ("concept: a state", "I'm so done with living.", "I'm so done with this question."),
    ("concept: means made ready", "I've been saving up my pills.",
     "I've been saving up for a car."),
    ("concept: goodbye", "This is my final message to everyone.",
     "This is my final message for today, see you tomorrow."),
    ("subject: the writer's own", "I'm suicidal.", "My client is suicidal."),
    ("subject: a dropped I", "been thinking about killing myself",
     "My peer has been thinking about suicide."),
    ("negation", "I want to hurt myself tonight.", "I don't want to hurt myself tonight."),
    ("recovery words", "I've been cutting myself again.",
     "I've been free from cutting myself since spring."),
    ("condition", "I feel suicidal tonight.",
     "If I feel suicidal tonight, I will call my sponsor."),
    ("past tense", "I'm thinking about ending it.", "I was thinking about ending it."),
    ("dated to the past", "I'm in a shelter and I want to die every night.",
     "Back in 2015 I'm in a shelter and I want to die every night."),
    ("reported", "I'm going to overdose tonight.",
     "He kept saying I'm going to overdose tonight, so I stayed."),
    ("reported after", "I want to kill myself.", "I want to kill myself, a young man told me."),
    ("framed", "I don't want to exist anymore.",
     "In the role-play I read the line I don't want to exist anymore."),
    ("idiom", "I'd rather be dead than keep feeling like this.",
     "I'd rather die than miss my daughter's recital."),
    ("the work", "I'm thinking about suicide.", "I'm thinking about suicide prevention."),
    ("means kept safe", "I have my meds counted out.",
     "I have my meds counted out for the week as prescribed."),
    ("stopped", "I've been suicidal since I was a teen.",
     "I've been suicidal since I was a teen, but not anymore."),
    ("a thought, framed", "I want to die.", "I know what it is to think: I want to die."),
    ("a noun is not a stance", "I wish to die.", "I hear a wish to die in what she says."),
    # Round three: a wider lexicon, and stance read in new places.
    ("passive wish: the heart", "I keep hoping my heart stops in my sleep.",
     "I keep hoping my heart stops racing before interviews."),
    ("passive wish: being gone", "I just want to be gone.",
     "I just want to be gone for the weekend."),
    ("passive wish: no reason to be here", "I don't see a reason for me to be here anymore.",
     "I don't see a reason for me to be here on Saturdays."),
    ("stance: waiting for a reason", "I'm waiting for a reason to not be here.",
     "I'm waiting for a reason to celebrate with my team."),
    ("duration", "I've been wanting to end my life for weeks now.",
     "I've been wanting to end my lease for weeks now."),
    ("for real", "Thinking about ending things for real.",
     "Thinking about ending things with my landlord."),
    ("a voice's command", "The voice in my head keeps ordering me to cut myself.",
     "The voices order my client to cut herself, so we made a plan."),
    ("the command is not a report", "My head keeps telling me to cut myself and lately I obey.",
     "My sponsor keeps telling me to cut myself some slack and lately I obey."),
    ("means, fixed on", "My pills are on the table and I keep staring at them.",
     "My pills are locked away and I keep staring at them."),
    ("a car, chosen", "I'm thinking of crashing my car tonight.",
     "I'm scared of crashing my car tonight."),
    ("affairs in order", "My will is written and I left letters for my kids.",
     "My will is strong and I left lunches for my kids."),
    ("this is goodbye", "This is goodbye, thank you all.", "This is goodbye for now, see you."),
    ("burden: if I wasn't here", "They'd all be better off if I wasn't here.",
     "They'd all be better off if I wasn't here for the night shift."),
    ("given away, explained", "I gave my guitar to my brother.",
     "I gave my guitar to my brother because I'm learning piano."),
    ("chat: kys to oneself", "i should just kys", "he told me to kys and i reported it"),
    ("chat: unalive", "been thinking about unaliving myself", "we teach people not to say unalive"),
    ("a bare stance takes up the act", "kms lol no but actually i want to",
     "kms lol no but actually i want to help"),
    ("an act as the only thought", "killing myself is all i think about",
     "killing time is all i think about"),
    # Round four (set 3 tuned on): concepts it missed, each with its calm twin.
    ("stance: an urge, a noun", "The urge to cut myself won't go away.",
     "The urge to cut myself was strong back then, but I learned to ride it out."),
    ("safety: can't promise tonight", "I can't promise I'll stay safe tonight.",
     "I can't promise I'll be on time tomorrow."),
    ("place: the top of it", "I'm on the roof of the building right now.",
     "I'm on the roof of the building for a staff photo."),
    ("means at hand", "Sitting on my bed with a razor again.",
     "Sitting on my bed with a razor to shave before the interview."),
    ("means against the body", "I have a blade against my arm right now.",
     "I have a blade in the kitchen drawer right now."),
    ("means, ruminated on", "My dad's gun is in the garage and I can't stop thinking about it.",
     "My client's gun is in the garage and I can't stop thinking about it."),
    ("self-harm going on", "I've been cutting every night since the relapse.",
     "I've been cutting back every night since the relapse."),
    ("funeral imagined", "Lately I keep imagining my own funeral.",
     "Lately I keep imagining my own graduation."),
    ("funeral planned", "I picked out my funeral clothes this week.",
     "I picked out my wedding clothes this week."),
    ("made my peace", "I've made my peace with it all.",
     "I've made my peace with my diagnosis."),
    ("stop fighting", "I'm ready to stop fighting now.",
     "I'm ready to stop fighting with my brother."),
    ("a past stance, today", "I wanted to end my life today.",
     "I wanted to end my shift early today."),
    ("burden: a child between", "My kids would be better off growing up without me.",
     "My kids would be better off growing up with two homes."),
    ("a picked day", "I have a plan and I've chosen Sunday.",
     "I have a plan and I've chosen Sunday for the potluck."),
    ("gone for a while", "If I was gone, my family would finally get some peace.",
     "If I was gone for a week, my family would finally get some peace."),
]


def _clause_reading(text: str) -> bool:
    return safety._clause_crisis("\n" + normalize(text))


@pytest.mark.parametrize(("rule", "crisis", "calm"), CLAUSE_RULES,
                         ids=[rule for rule, *_ in CLAUSE_RULES])
def test_each_rule_of_the_clause_reading(rule: str, crisis: str, calm: str) -> None:
    assert _clause_reading(crisis) is True, rule
    assert _clause_reading(calm) is False, rule


def _every_text() -> list[str]:
    texts = CRISIS + AMBIGUOUS_FLAGGED + NOT_CRISIS + LONG_ANSWERS + DEV_CRISIS + DEV_NOT_CRISIS
    texts += [text for _, *pair in CLAUSE_RULES for text in pair]
    for name in [*HELD_OUT, HELD_OUT_4[0]]:
        texts += [str(case["text"]) for case in _held_out(name)]
    return texts


def test_the_clause_readings_speed_gates_hide_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a sentence only when it holds a concept's words, and trying a concept only where
    one of its opening words stands, gives the verdict of reading everything everywhere."""
    texts = _every_text()
    gated = [_clause_reading(text) for text in texts]
    monkeypatch.setattr(safety, "_GATED", False)
    assert [_clause_reading(text) for text in texts] == gated


# The clause reading in Spanish (round three): each rule as a pair, the first the writer's own
# crisis now, the second differing only where the rule looks. Read through ``in_crisis``, as
# a trainee's answer is.
SPANISH_RULES = [
    ("a present act", "me estoy cortando otra vez", "me estoy cortando el pelo otra vez"),
    ("stance and act", "estoy pensando en quitarme la vida", "estoy pensando en cambiar mi vida"),
    ("someone else's", "tengo ganas de desaparecer para siempre",
     "mi cliente tiene ganas de desaparecer para siempre"),
    ("someone else's words", "quiero desaparecer para siempre",
     "me dijo que quiere desaparecer para siempre"),
    ("negation", "quiero morir esta noche", "no quiero morir, quiero vivir y ayudar a otros"),
    ("condition", "pienso en matarme cada dia",
     "si alguna vez pienso en matarme, llamo a mi madrina"),
    ("a state", "soy una carga para mi familia", "soy una ayuda para mi familia"),
    ("means made ready", "tengo las pastillas guardadas y estoy lista",
     "tengo mis pastillas guardadas bajo llave, como dice mi medico"),
    ("a goodbye", "ya escribi mis cartas de despedida", "ya escribi mis cartas de presentacion"),
    ("framed", "ojala no despierte manana",
     "en la capacitacion vimos frases como ojala no despierte manana"),
    ("dated to the past", "volvi a cortarme anoche", "hace anos volvi a cortarme"),
    ("reported in an earlier clause", "lo digo en serio: me estoy cortando otra vez",
     "una joven me escribio: me estoy cortando otra vez"),
]


@pytest.mark.parametrize(("rule", "crisis", "calm"), SPANISH_RULES,
                         ids=[rule for rule, *_ in SPANISH_RULES])
def test_each_rule_of_the_spanish_clause_reading(rule: str, crisis: str, calm: str) -> None:
    assert in_crisis(crisis) is True, rule
    assert in_crisis(calm) is False, rule


def _answers_in(data: object) -> list[str]:
    """Every answer-sized text (more than eight words) in a loaded YAML document."""
    if isinstance(data, str):
        return [data] if len(data.split()) > 8 else []
    if isinstance(data, dict):
        return [text for value in data.values() for text in _answers_in(value)]
    if isinstance(data, list):
        return [text for value in data for text in _answers_in(value)]
    return []


def test_no_false_alarm_on_the_coaching_sets_other_answers(bank: Bank) -> None:
    """A false alarm takes a trainee's guidance away: none on the strong answers of
    tests/data, the coaching dev sets that are not about crisis, or the bank's examples."""
    data = Path(__file__).parent / "data"
    files = [*sorted(data.glob("*.yaml")),
             *(data / "coaching_dev" / f"{name}.yaml" for name in
               ("pairs", "gaming", "language", "star"))]
    texts = [text for path in files
             for text in _answers_in(yaml.safe_load(path.read_text("utf-8")))]
    texts += [question.example_answer for question in bank]
    assert len(texts) > 300
    assert [text for text in texts if in_crisis(text)] == []
