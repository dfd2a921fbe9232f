import random
from pathlib import Path

import pytest

from footnote_training.data import answering_sentences, passage, read_folder, split_sentences, squad_pairs, swap_rewrite

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def test_sentences_split_at_ends_but_not_at_abbreviations_or_initials():
    text = 'Mr. Smith met J. Doe in Washington. He said "no." The U.S. Army left in 1990. Then it rained!'
    assert split_sentences(text) == ["Mr. Smith met J. Doe in Washington.", 'He said "no."', "The U.S. Army left in 1990.", "Then it rained!"]


def test_passage_is_the_sentence_then_the_one_before_it_cut_to_size():
    sentences = ["First one here.", "Second " + "word " * 80]
    text = passage(sentences, 1)
    own, context = text.split(" || ")
    assert len(own.split()) == 60 and context == "First one here."
    assert passage(sentences, 0) == "First one here."


def test_answering_sentences_fold_case_and_quotes_and_cross_boundaries():
    sentences = ["He called it “a deal.”", "Nothing else happened."]
    assert answering_sentences(sentences, ['"A DEAL."']) == {0}
    assert answering_sentences(sentences, ["deal.” Nothing"]) == {0, 1}
    assert answering_sentences(sentences, ["absent"]) == set()


def test_a_folder_reads_every_article_with_its_questions():
    articles = read_folder(FIXTURES)
    assert [a.name for a in articles] == ["other-place", "tiny-town"]
    town = articles[1]
    assert len(town.paragraphs) == 2 and len(town.paragraphs[0]) == 3
    assert sum(not q.answerable for q in town.questions) == 1


def test_a_missing_folder_is_named():
    with pytest.raises(FileNotFoundError, match="nowhere"):
        read_folder(FIXTURES / "nowhere")


def test_pairs_label_the_answering_sentence_and_take_negatives_from_the_article():
    pairs = squad_pairs(read_folder(FIXTURES), per_question_negatives=3, swap_share=1.0, rng=random.Random(1))
    founded = [p for p in pairs if p.question == "When was Tiny Town founded?"]
    assert [p.label for p in founded if p.kind == "answer"] == [1.0]
    assert "1850" in next(p.passage for p in founded if p.kind == "answer")
    assert all(p.label == 0.0 and "1850" not in p.passage.split(" || ")[0] for p in founded if p.kind != "answer")
    assert any(p.kind == "other-paragraph" for p in founded)
    plausible = [p for p in pairs if p.kind == "plausible"]
    assert len(plausible) == 1 and plausible[0].label == 0.0 and "1850" in plausible[0].passage


def test_a_swap_puts_another_name_of_the_article_that_the_paragraph_lacks():
    rng = random.Random(3)
    swapped = swap_rewrite("Who is the mayor of Tiny Town?", ["Tom Smith", "Ada Lovelace", "Blue River"], "The mayor is Tom Smith. Tiny Town", rng)
    assert swapped in {"Who is the mayor of Ada Lovelace?", "Who is the mayor of Blue River?"}
    assert swap_rewrite("what is it?", ["Tom Smith"], "", rng) is None
