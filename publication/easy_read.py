"""Help for writing Easy Read: a readability figure and the sentences and words to look at again.

It never writes the text: it points at what is long or unusual, and the owner decides."""

import re
import unicodedata
from dataclasses import dataclass, field

import textstat

# Easy Read guidance: one idea a sentence, and no more than 15 words in it.
LONGEST_SENTENCE = 15
APOSTROPHES = "'\u2019"
# A full stop, question or exclamation mark, or the danda of Bengali and other Indic scripts.
SENTENCE_END = re.compile(r"(?<=[.!?\u0964])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text or "") if part.strip()]


def _in_word(character: str, started: bool) -> bool:
    # Letters of any script with their combining marks (Bengali's vowel signs are marks), and
    # apostrophes and hyphens within a word.
    if character.isalpha() or (started and unicodedata.category(character).startswith("M")):
        return True
    return started and character in APOSTROPHES + "-"


def words(sentence: str) -> list[str]:
    found: list[str] = []
    current = ""
    for character in sentence:
        if _in_word(character, bool(current)):
            current += character
        elif current:
            found.append(current)
            current = ""
    return [*found, current] if current else found


def is_english_spelling(word: str) -> bool:
    return word.isascii()


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
            if not is_english_spelling(plain):
                continue  # the plain-word list is English: other languages' words are left alone
            if plain and not is_plain(plain) and plain not in found:
                found.append(plain)
    return found


@dataclass
class Advice:
    written: bool
    reading_ease: float | None
    long_sentences: list[tuple[str, int]] = field(default_factory=list)
    unusual_words: list[str] = field(default_factory=list)

    @property
    def has_points(self) -> bool:
        return bool(self.long_sentences or self.unusual_words)


def advice(text: str) -> Advice:
    """The Flesch reading ease of the text (higher is easier; 80 and above reads easily), its
    sentences over 15 words, and its unusual words. The reading ease is a figure for English:
    none is given for a text mostly in another language."""
    written = words(text)
    if not written:
        return Advice(written=False, reading_ease=None)
    long_ones = [(s, len(words(s))) for s in sentences(text) if len(words(s)) > LONGEST_SENTENCE]
    english = sum(is_english_spelling(word) for word in written) * 2 >= len(written)
    return Advice(
        written=True,
        reading_ease=round(textstat.flesch_reading_ease(text), 1) if english else None,
        long_sentences=long_ones,
        unusual_words=unusual_words(text),
    )
