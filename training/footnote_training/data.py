"""Reading SQuAD-format folders and the project's own question sets, and building reader pairs.

A folder holds `<name>.txt` (one paragraph a line) and `<name>.qa.jsonl` (one question a line:
`q`, `answerable`, `paragraph`, `evidence` or `plausible`). Pairs are (question, passage, label): the
passage is a candidate sentence followed by its preceding sentence as context, the same text the bot
builds at run time (`src/reader/passage.ts`).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*(\s+)(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|No|vs|etc|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z]|(?:\b[A-Za-z]\.)+[A-Za-z])\.$")

#: Words kept of a candidate sentence and of its context: pairs stay short (the reader's cost grows with length).
SENTENCE_WORDS = 60
CONTEXT_WORDS = 30


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (abbreviations and initials do not end one)."""
    text = text.strip()
    parts, start = [], 0
    for m in _BOUNDARY.finditer(text):
        parts.append(text[start : m.start(1)])
        start = m.end(1)
    parts.append(text[start:])
    out: list[str] = []
    for part in parts:
        if out and _ABBREV.search(out[-1]):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [p for p in out if p.strip()]


def _cut(text: str, words: int) -> str:
    parts = text.split()
    return " ".join(parts[:words])


def passage(sentences: list[str], i: int) -> str:
    """The reader's second text for sentence i: the sentence, then the one before it as context."""
    text = _cut(sentences[i], SENTENCE_WORDS)
    if i > 0:
        text += " || " + _cut(sentences[i - 1], CONTEXT_WORDS)
    return text


def fold(text: str) -> str:
    """Case, curly quotes and white space folded, as the project compares evidence."""
    text = text.lower().replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Question:
    q: str
    answerable: bool
    paragraph: int | None
    spans: list[str]
    article: str


@dataclass
class Article:
    name: str
    paragraphs: list[list[str]]
    questions: list[Question] = field(default_factory=list)


def read_folder(folder: Path) -> list[Article]:
    """Every article of a SQuAD-format folder, in name order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"The SQuAD folder {folder} is missing")
    articles = []
    for txt in sorted(folder.glob("*.txt")):
        name = txt.name[: -len(".txt")]
        qa = folder / f"{name}.qa.jsonl"
        if not qa.exists():
            continue
        paragraphs = [split_sentences(line) for line in txt.read_text(encoding="utf-8").splitlines()]
        article = Article(name, paragraphs)
        for line in qa.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            spans = row.get("evidence") or row.get("plausible") or []
            article.questions.append(Question(row["q"], bool(row["answerable"]), row.get("paragraph"), spans, name))
        articles.append(article)
    return articles


def answering_sentences(sentences: list[str], spans: list[str]) -> set[int]:
    """Indices of the sentences holding one of the spans (a span across a boundary marks both)."""
    found: set[int] = set()
    folded = [fold(s) for s in sentences]
    for span in spans:
        f = fold(span)
        if not f:
            continue
        hit = {i for i, s in enumerate(folded) if f in s}
        if not hit:
            joined = " ".join(folded)
            at = joined.find(f)
            if at >= 0:
                pos = 0
                for i, s in enumerate(folded):
                    if pos <= at + len(f) and at <= pos + len(s):
                        hit.add(i)
                    pos += len(s) + 1
        found |= hit
    return found


_CAPTION = re.compile(r"^credits:\s*(.*?),\s*caption:\s*")
_ENTITY = re.compile(r"\b(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|\d[\d,.]*)\b")


def swap_rewrite(question: str, article_entities: list[str], paragraph_text: str, rng: random.Random) -> str | None:
    """A made-up unanswerable question: one name or number swapped for another of the same article
    that the paragraph does not hold. None when the question has no name or number to swap."""
    found = [m for m in _ENTITY.finditer(question) if m.start() > 0 or m.group(0).isdigit()]
    if not found:
        return None
    target = rng.choice(found)
    is_number = target.group(0)[0].isdigit()
    pool = [e for e in article_entities if len(e) > 2 and e[0].isdigit() == is_number and e not in paragraph_text and e != target.group(0)]
    if not pool:
        return None
    return question[: target.start()] + rng.choice(pool) + question[target.end() :]


def entities(article: Article) -> list[str]:
    """Names and numbers the article uses, most frequent first."""
    counts: dict[str, int] = {}
    for sentences in article.paragraphs:
        for s in sentences:
            for m in _ENTITY.finditer(s):
                if m.start() == 0 and not m.group(0)[0].isdigit():
                    continue
                counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    return sorted(counts, key=lambda e: -counts[e])[:200]


@dataclass
class Pair:
    question: str
    passage: str
    label: float
    kind: str


def _overlap(a: str, b: str) -> int:
    wa = {w for w in re.findall(r"[a-z0-9]+", a.lower()) if len(w) > 3}
    return len(wa & set(re.findall(r"[a-z0-9]+", b.lower())))


def squad_pairs(articles: list[Article], per_question_negatives: int, swap_share: float, rng: random.Random, max_questions: int | None = None) -> list[Pair]:
    """Reader pairs from answerable SQuAD questions: the answering sentence (1), the paragraph's other
    sentences and the article's most word-sharing sentences elsewhere (0), and for a share of the
    questions a name or number swapped (0 against the answering sentence). Unanswerable questions give
    their `plausible` sentence as a negative."""
    questions = [(a, q) for a in articles for q in a.questions]
    rng.shuffle(questions)
    if max_questions is not None:
        questions = questions[:max_questions]
    ents = {a.name: entities(a) for a in articles}
    pairs: list[Pair] = []
    for article, q in questions:
        if q.paragraph is None or not 1 <= q.paragraph <= len(article.paragraphs):
            continue
        sentences = article.paragraphs[q.paragraph - 1]
        hits = answering_sentences(sentences, q.spans)
        if not hits:
            continue
        if not q.answerable:
            for i in sorted(hits)[:1]:
                pairs.append(Pair(q.q, passage(sentences, i), 0.0, "plausible"))
            continue
        gold = min(hits)
        pairs.append(Pair(q.q, passage(sentences, gold), 1.0, "answer"))
        same = [i for i in range(len(sentences)) if i not in hits]
        rng.shuffle(same)
        negatives = [("same-paragraph", sentences, i) for i in same[: max(1, per_question_negatives - 1)]]
        others = [(p, i) for p, ss in enumerate(article.paragraphs) if p != q.paragraph - 1 for i in range(len(ss))]
        if others:
            sample = rng.sample(others, min(40, len(others)))
            best = max(sample, key=lambda pi: _overlap(q.q, article.paragraphs[pi[0]][pi[1]]))
            negatives.append(("other-paragraph", article.paragraphs[best[0]], best[1]))
        for kind, ss, i in negatives[:per_question_negatives]:
            pairs.append(Pair(q.q, passage(ss, i), 0.0, kind))
        if rng.random() < swap_share:
            swapped = swap_rewrite(q.q, ents[article.name], " ".join(sentences), rng)
            if swapped:
                pairs.append(Pair(swapped, passage(sentences, gold), 0.0, "swap"))
    return pairs


def own_pairs(article_path: Path, question_files: list[Path], rng: random.Random) -> list[Pair]:
    """Pairs from the project's own fitted question sets on its article (`evidence` phrases)."""
    lines = Path(article_path).read_text(encoding="utf-8").splitlines()
    paragraphs = [split_sentences(_CAPTION.sub("", line)) for line in lines if line.strip()]
    flat = [(p, i) for p, ss in enumerate(paragraphs) for i in range(len(ss))]
    pairs: list[Pair] = []
    for file in question_files:
        for line in Path(file).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            q = row.get("q")
            if not q or "after" in row:
                continue
            if not row.get("answerable"):
                best = sorted(flat, key=lambda pi: -_overlap(q, paragraphs[pi[0]][pi[1]]))[:2]
                pairs += [Pair(q, passage(paragraphs[p], i), 0.0, "own-unanswerable") for p, i in best]
                continue
            positives = {(p, i) for p, ss in enumerate(paragraphs) for i in answering_sentences(ss, row.get("evidence", []))}
            for p, i in positives:
                pairs.append(Pair(q, passage(paragraphs[p], i), 1.0, "own-answer"))
            rest = [pi for pi in flat if pi not in positives]
            rest.sort(key=lambda pi: -_overlap(q, paragraphs[pi[0]][pi[1]]))
            for p, i in rest[:3] + rng.sample(rest[3:], min(2, len(rest) - 3)):
                pairs.append(Pair(q, passage(paragraphs[p], i), 0.0, "own-negative"))
    return pairs


def hash_files(paths: list[Path]) -> str:
    """sha256 over the files' names and bytes, in the order given."""
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).name.encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()
