import { describe, expect, it } from 'vitest';
import { ChatReader, MAX_WORDS } from '../../src/language/chat.js';
import { analyse } from '../../src/language/nlp.js';
import { sharedWordVectors } from '../../src/language/word-vectors.js';
import { isGistQuestion, subjectOf } from '../../src/question/gist.js';
import { realArticle } from '../helpers/fixtures.js';

const article = realArticle();
const reader = new ChatReader(article.text, sharedWordVectors(), analyse(article.text).lemmas);
const read = (q: string) => reader.read(q);

describe('reading chat-typed questions', () => {
  it('reads a misspelled word as the nearest article word, keeping the article’s casing for names', () => {
    expect(read('wher was the sumit held').text).toBe('Where was the summit held');
    expect(read('whos heather conely').text).toBe('Whos Heather Conley');
    expect(read('was there a ceasfire').text).toBe('Was there a cease-fire');
    expect(read('did they make a deel')).toEqual({ text: 'Did they make a deal', changed: true });
    // Two neighbouring letters swapped count as one edit.
    expect(read('how long did putin tlak').text).toBe('How long did Putin talk');
  });

  it('falls back on frequent English words for a word the article lacks', () => {
    expect(read('when will trump look at sanctions agin').text).toBe('When will Trump look at sanctions again');
  });

  it('never corrects a frequent real word, nor a contraction typed without its apostrophe', () => {
    expect(read('who flew over the leaders')).toEqual({ text: 'Who flew over the leaders', changed: false });
    expect(read('whats lavrovs job').text).toBe("Whats Lavrov's job");
    expect(read('When did the Normans conquer England?')).toEqual({ text: 'When did the Normans conquer England?', changed: false });
  });

  it('reads chat shorthand as what it stands for and drops filler', () => {
    expect(read('who r the ppl with putin lol').text).toBe('Who are the people with Putin');
    expect(read('wat did mulroy say abt flattery pls??').text).toBe('What did Mulroy say about flattery?');
    expect(read('lol??').text).toBe('?');
  });

  it('reads a question typed in capitals or in lower case as one typed in normal case, names from the article', () => {
    const normal = read('Who is Heather Conley?');
    expect(read('WHO IS HEATHER CONLEY?')).toEqual({ ...normal, changed: false });
    expect(read('who is heather conley?')).toEqual({ ...normal, changed: false });
    expect(normal.text).toBe('Who is Heather Conley?');
  });

  it('looks at no more than MAX_WORDS words, however long the run of misspellings', () => {
    const long = Array.from({ length: MAX_WORDS * 3 }, () => 'sumit').join(' ');
    const out = read(long).text.split(' ');
    expect(out.slice(0, MAX_WORDS).every((w) => /^summit$/i.test(w))).toBe(true);
    expect(out.slice(MAX_WORDS).every((w) => w === 'sumit')).toBe(true);
  });
});

describe('gist questions', () => {
  const subject = subjectOf(article.paragraphs.map((p) => analyse(p.text)));
  const gist = (q: string) => isGistQuestion(analyse(reader.read(q).text), subject);

  it('takes the article’s most frequent content words as its subject', () => {
    expect(subject.has('trump')).toBe(true);
    expect(subject.has('putin')).toBe(true);
  });

  it('recognises questions about the article itself, in many words', () => {
    for (const q of ['what is this article about?', 'tldr?', 'what happened?', 'whats the gist of the story', 'give me the main takeaway', 'WHAT IS THIS ABOUT', 'what happened between trump and putin']) expect(gist(q), q).toBe(true);
  });

  it('recognises every spelling of tl;dr the README promises: tldr, tl;dr, TL;DR, with or without a question mark', () => {
    for (const q of ['tldr', 'tldr?', 'tl;dr', 'tl;dr?', 'TL;DR?', 'TL;DR', 'Tl;Dr??']) expect(gist(q), q).toBe(true);
  });

  it('leaves specific questions alone, even ones that start the same way', () => {
    for (const q of ['what happened in february?', 'what happened in ukraine during the talks', 'what did trump say about sanctions', 'who is lavrov', 'what is the capital of france']) expect(gist(q), q).toBe(false);
  });
});
