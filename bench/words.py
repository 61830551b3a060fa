"""Deterministic words, sentences and titles for the bench's content.

Stdlib only: the ceiling app uses it too and must stay a bare Flask app.
"""

from __future__ import annotations

import random

PARAGRAPHS = 8
WORDS_PER_PARAGRAPH = 100
# The reference site's vocabulary (shared/anchors/wordpress/load_content.php),
# so titles, bodies and search hits have the same shape on both sides.
WORDS = (
    "the of and to in is that it was for on are as with his they be at one have "
    "this from by hot word but what some we can out other were all there when up "
    "use your how said an each she which do their time if will way about many "
    "then them write would like so these her long make thing see him two has "
    "look more day could go come did number sound no most people my over know "
    "water than call first who may down side been now find any new work part "
    "take get place made live where after back little only round man year came "
    "show every good me give our under name very through just form sentence "
    "great think say help low line differ turn cause much mean before move right "
    "boy old too same tell does set three want air well also play small end put "
    "home read hand port large spell add even land here must big high such "
    "follow act why ask men change went light kind off need house picture try us "
    "again animal point mother world near build self earth father head stand own "
    "page should country found answer school grow study still learn plant cover "
    "food sun four between state keep eye never last let thought city tree cross "
    "farm hard start might story saw far sea draw left late run while press "
    "close night real life few north open seem together next white children "
    "begin got walk example ease paper group always music those both mark often "
    "letter until mile river car feet care second book carry took science eat "
    "room friend began idea fish mountain stop once base hear horse cut sure "
    "watch color face wood main enough plain girl usual young ready above ever "
    "red list though feel talk bird soon body dog family direct pose leave song "
    "measure door product black short numeral class wind question happen "
    "complete ship area half rock order fire south problem piece told knew pass "
    "since top whole king space heard best hour better true during hundred five "
    "remember step early hold west ground interest reach fast verb sing listen "
    "six table travel less morning ten simple several vowel toward war lay "
    "against pattern slow center love person money serve appear road map rain "
    "rule govern pull cold notice voice unit power town fine certain fly fall "
    "lead cry dark machine note wait plan figure star box noun field rest "
    "correct able pound done beauty drive stood contain front teach week final "
    "gave green quick develop ocean warm free minute strong special mind behind "
    "clear tail produce fact street inch multiply nothing course stay wheel full "
    "force blue object decide surface deep moon island foot system busy test "
    "record boat common gold possible plane stead dry wonder laugh thousand ago "
    "ran check game shape equate miss brought heat snow tire bring yes distant "
    "fill east paint language among"
).split()


class Text:
    """Deterministic words, sentences and titles from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, count: int) -> list[str]:
        return [self.rng.choice(WORDS) for _ in range(count)]

    def sentences(self, count: int) -> str:
        """About `count` words in sentences of 8 to 18 words, some with a comma."""
        out, left = [], count
        while left > 0:
            size = min(left, self.rng.randint(8, 18))
            left -= size
            words = self.words(size)
            words[0] = words[0].capitalize()
            if size > 6 and self.rng.randint(0, 2) == 0:
                words[self.rng.randint(2, size - 3)] += ","
            out.append(" ".join(words) + ".")
        return " ".join(out)

    def title(self) -> str:
        return " ".join(self.words(self.rng.randint(3, 8))).capitalize()

    def article_markdown(self) -> str:
        """8 paragraphs of 100 words with a `##` heading half way, as the
        reference site's posts have."""
        blocks = []
        for number in range(PARAGRAPHS):
            if number == PARAGRAPHS // 2:
                blocks.append("## " + self.title())
            blocks.append(self.sentences(WORDS_PER_PARAGRAPH))
        return "\n\n".join(blocks)
