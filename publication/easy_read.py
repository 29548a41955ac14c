"""Help for writing Easy Read: a readability figure and the sentences and words to look at again.

It never writes the text: it points at what is long or unusual, and the owner decides."""

import re
from dataclasses import dataclass, field

import textstat

# Easy Read guidance: one idea a sentence, and no more than 15 words in it.
LONGEST_SENTENCE = 15
APOSTROPHES = "'\u2019"
WORD = re.compile(rf"[A-Za-z][A-Za-z{APOSTROPHES}-]*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text or "") if part.strip()]


def words(sentence: str) -> list[str]:
    return WORD.findall(sentence)


# Endings the list's words take without becoming harder to read ("meetings", "working").
PLAIN_ENDINGS = ("s", "es", "ed", "d", "ing", "er", "est", "ly")


def is_plain(word: str) -> bool:
    if textstat.is_easy_word(word):
        return True
    return any(
        word.endswith(ending) and textstat.is_easy_word(word[: -len(ending)]) for ending in PLAIN_ENDINGS
    )


def unusual_words(text: str) -> list[str]:
    """Words outside the plain-word list (the Dale-Chall list of familiar words that textstat
    ships), in the order written, once each. Names (capitalised after a sentence's first word)
    are left alone: they cannot be made plainer."""
    found: list[str] = []
    for sentence in sentences(text):
        for position, word in enumerate(words(sentence)):
            if position and word[0].isupper():
                continue
            plain = word.lower().strip(APOSTROPHES + "-")
            if plain and not is_plain(plain) and plain not in found:
                found.append(plain)
    return found


@dataclass
class Advice:
    reading_ease: float | None
    long_sentences: list[tuple[str, int]] = field(default_factory=list)
    unusual_words: list[str] = field(default_factory=list)

    @property
    def has_points(self) -> bool:
        return bool(self.long_sentences or self.unusual_words)


def advice(text: str) -> Advice:
    """The Flesch reading ease of the text (higher is easier; 80 and above reads easily), its
    sentences over 15 words, and its unusual words."""
    if not words(text):
        return Advice(reading_ease=None)
    long_ones = [(s, len(words(s))) for s in sentences(text) if len(words(s)) > LONGEST_SENTENCE]
    return Advice(
        reading_ease=round(textstat.flesch_reading_ease(text), 1),
        long_sentences=long_ones,
        unusual_words=unusual_words(text),
    )
