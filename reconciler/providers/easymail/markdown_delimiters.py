"""Which ``~~`` runs strike, found as cmark-gfm finds them: one delimiter stack with emphasis.

easymail keeps emphasis and drops strikethrough, but the two are paired together: GFM puts
``*``, ``_`` and ``~~`` runs on one stack and, when a closer finds its opener, removes every
delimiter between them (CommonMark §6.2, "process emphasis"). So in ``*a ~~b* c~~`` the
emphasis pair takes the first ``~~`` with it and nothing is struck, while ``~~a *b~~ c*``
strikes. A link's text is processed on its own when the link closes (the delimiters inside
never pair with those outside), and a link makes the ``[`` before it inactive (links do not
nest). Only ``~~`` runs of exactly two tildes are delimiters (GFM spec: "wrapped in two
tildes"); flanking follows CommonMark's rules, with Unicode punctuation and symbols.
"""

from __future__ import annotations

import unicodedata

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class _Delimiter:
    __slots__ = ("char", "closes", "count", "length", "next", "opens", "pos", "prev")

    def __init__(self, char: str, pos: int, length: int, *, opens: bool, closes: bool) -> None:
        self.char, self.pos, self.length, self.count = char, pos, length, length
        self.opens, self.closes = opens, closes
        self.prev: _Delimiter | None = None
        self.next: _Delimiter | None = None


class Bracket:
    """An open ``[`` or ``![``: where its text starts, and the delimiters below it."""

    __slots__ = ("active", "bottom", "image", "text_start")

    def __init__(self, text_start: int, *, image: bool, bottom: _Delimiter | None) -> None:
        self.text_start, self.image, self.bottom, self.active = text_start, image, bottom, True


class Delimiters:
    """The delimiter and bracket stacks of one block's inline content."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.top: _Delimiter | None = None
        self.brackets: list[Bracket] = []
        self.strikes: list[tuple[int, int]] = []  # (opener, closer) starts of struck pairs

    def run(self, char: str, pos: int, length: int) -> None:
        """A run of ``length`` ``*``, ``_`` or (two) ``~`` at ``pos``."""
        text = self.text
        before = text[pos - 1] if pos else "\n"
        after = text[pos + length] if pos + length < len(text) else "\n"
        left, right = _flanking(before, after), _flanking(after, before)
        if char == "_":
            opens = left and (not right or _punctuation(before))
            closes = right and (not left or _punctuation(after))
        else:
            opens, closes = left, right
        if not (opens or closes):
            return
        delimiter = _Delimiter(char, pos, length, opens=opens, closes=closes)
        delimiter.prev = self.top
        if self.top is not None:
            self.top.next = delimiter
        self.top = delimiter

    def open_bracket(self, text_start: int, *, image: bool) -> None:
        self.brackets.append(Bracket(text_start, image=image, bottom=self.top))

    def link(self) -> None:
        """The last bracket closed a link: pair what its text holds, close off the ``[`` before."""
        bracket = self.brackets.pop()
        self._process(bracket.bottom)
        if not bracket.image:
            for earlier in self.brackets:
                earlier.active = earlier.active and earlier.image

    def finish(self) -> list[tuple[int, int]]:
        """Pair what is left; the struck ``(opener, closer)`` pairs, in text order."""
        self._process(None)
        return sorted(self.strikes)

    def _process(self, bottom: _Delimiter | None) -> None:
        """CommonMark's "process emphasis" above ``bottom``, then drop what is left there."""
        closer, node = None, self.top
        while node is not None and node is not bottom:
            closer, node = node, node.prev
        floors: dict[tuple[str, bool, int], _Delimiter | None] = {}
        while closer is not None:
            if not closer.closes:
                closer = closer.next
                continue
            key = (closer.char, closer.opens, closer.length % 3)
            opener = self._opener(closer, bottom, floors.get(key, bottom))
            if opener is None:
                floors[key] = closer.prev
                following = closer.next
                if not closer.opens:
                    self._remove(closer)
                closer = following
                continue
            use = 2 if closer.count >= 2 and opener.count >= 2 else 1
            if closer.char == "~":
                self.strikes.append((opener.pos, closer.pos))
            opener.count -= use
            closer.count -= use
            between = opener.next
            while between is not None and between is not closer:
                following = between.next
                self._remove(between)
                between = following
            if not opener.count:
                self._remove(opener)
            if not closer.count:
                following = closer.next
                self._remove(closer)
                closer = following
        while self.top is not None and self.top is not bottom:
            self._remove(self.top)

    @staticmethod
    def _opener(
        closer: _Delimiter, bottom: _Delimiter | None, floor: _Delimiter | None
    ) -> _Delimiter | None:
        opener = closer.prev
        while opener is not None and opener is not bottom and opener is not floor:
            if opener.opens and opener.char == closer.char:
                odd = (closer.opens or opener.closes) and (
                    closer.length % 3 != 0 and (opener.length + closer.length) % 3 == 0
                )
                if closer.char == "~" or not odd:
                    return opener
            opener = opener.prev
        return None

    def _remove(self, delimiter: _Delimiter) -> None:
        if delimiter.prev is not None:
            delimiter.prev.next = delimiter.next
        if delimiter.next is not None:
            delimiter.next.prev = delimiter.prev
        if delimiter is self.top:
            self.top = delimiter.prev


def _flanking(outside: str, inside: str) -> bool:
    """CommonMark's flanking rule, seen from the side the delimited text is on."""
    if inside.isspace():
        return False
    return not _punctuation(inside) or outside.isspace() or _punctuation(outside)


def _punctuation(char: str) -> bool:
    return char in _PUNCTUATION or unicodedata.category(char)[0] in "PS"
