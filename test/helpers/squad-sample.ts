/** A hand-made file in the official SQuAD 2.0 shape: two articles, one with a line break inside a context. */
export const HAND_MADE = {
  version: 'v2.0',
  data: [
    {
      title: 'Steam_engine',
      paragraphs: [
        {
          context: 'A steam engine is a heat engine.\nIt performs work using steam.',
          qas: [
            { id: '1', question: 'What kind of engine is a steam engine?', is_impossible: false, answers: [{ text: 'a heat engine', answer_start: 19 }, { text: 'a heat engine', answer_start: 19 }, { text: 'heat engine', answer_start: 21 }] },
            { id: '2', question: 'What kind of engine is a diesel engine?', is_impossible: true, answers: [], plausible_answers: [{ text: 'a heat engine', answer_start: 19 }] },
          ],
        },
        { context: 'James Watt improved it in 1776.', qas: [{ id: '3', question: 'When did Watt improve it?', is_impossible: false, answers: [{ text: '1776', answer_start: 26 }] }] },
      ],
    },
    { title: 'Économie_de_la_France', paragraphs: [{ context: 'France has a mixed economy.', qas: [] }] },
  ],
};
