/** Small text helpers shared by lexical retrieval, evaluation and input cleaning. */

/** Folds curly quotes and apostrophes to straight ones and runs of white space to one space. */
export function foldText(s: string): string {
  return s
    .replace(/[‘’‛′]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

export const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have having he ' +
    'her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not ' +
    'now of off on once only or other our ours ourselves out over own same she should so some such than that the ' +
    'their theirs them themselves then there these they this those through to too under until up very was we were ' +
    'what when where which while who whom why will with would you your yours yourself yourselves s t don didn doesn ' +
    'isn wasn weren won wouldn according said say says tell told ask asked article does did get got whose much many ' +
    'may might must shall let us often recently really actually exactly currently happen happened'
  ).split(' '),
);

/** Light suffix stripping, enough to match "sanctions"/"sanctioned", "talks"/"talk", "meeting"/"meet". */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('es') && /(?:ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && /([bdgmnprt])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Raw lower-case word tokens (letters and digits), with possessive 's removed. */
export function words(s: string): string[] {
  return (
    foldText(s)
      .toLowerCase()
      .replace(/'s\b/g, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Irregular forms → base form, so "spoke"/"spoken" meet "speak" and "met" meets "meeting". */
const LEMMAS: Record<string, string> = {
  spoke: 'speak', spoken: 'speak', met: 'meet', said: 'say', says: 'say', told: 'tell', took: 'take',
  taken: 'take', went: 'go', gone: 'go', sold: 'sell', won: 'win', led: 'lead', held: 'hold', gave: 'give',
  given: 'give', made: 'make', saw: 'see', seen: 'see', began: 'begin', begun: 'begin', came: 'come',
  left: 'leave', sent: 'send', sat: 'sit', stood: 'stand', caught: 'catch', thought: 'think', brought: 'bring',
  bought: 'buy', fought: 'fight', flew: 'fly', flown: 'fly', wrote: 'write', written: 'write', ran: 'run',
  knew: 'know', known: 'know', felt: 'feel', kept: 'keep', shook: 'shake', shaken: 'shake', got: 'get',
  gotten: 'get', grew: 'grow', grown: 'grow', lost: 'lose', paid: 'pay', meant: 'mean', heard: 'hear',
  struck: 'strike', chose: 'choose', chosen: 'choose', drove: 'drive', driven: 'drive', rode: 'ride',
  greeted: 'greet', invaded: 'invade', injured: 'injure', killed: 'kill',
};

/**
 * Small groups of words news questions use for one another. A query term also matches the other members
 * of its group, at a lower weight (see `expandTerms`). Kept general: no group is specific to one article.
 */
const SYNONYM_GROUPS: string[][] = [
  ['talk', 'speak', 'discuss', 'conversation'],
  ['ahead', 'upper', 'advantage', 'win', 'gain', 'victory', 'benefit'],
  ['progress', 'headway', 'breakthrough', 'advance'],
  ['agreement', 'deal', 'accord'],
  ['ceasefire', 'cease', 'truce'],
  ['attack', 'strike', 'assault', 'bombard'],
  ['plane', 'aircraft', 'jet', 'bomber', 'fighter'],
  ['car', 'limousine', 'limo', 'motorcade', 'vehicle'],
  ['greet', 'welcome', 'receive'],
  ['reporter', 'journalist', 'press', 'media'],
  ['advice', 'advise', 'suggest', 'urge', 'recommend'],
  ['commitment', 'binding', 'pledge', 'promise', 'concession'],
  ['strength', 'might', 'power', 'military'],
  ['mood', 'tone', 'atmosphere', 'feeling'],
  ['photo', 'caption', 'picture', 'image', 'photographer'],
  ['sanction', 'tariff', 'penalty'],
  ['war', 'conflict', 'fighting', 'invasion'],
  ['killed', 'injured', 'casualty', 'death', 'dead'],
  ['author', 'wrote', 'write', 'byline', 'reporter'],
  ['leave', 'walk', 'quit', 'abandon'],
  ['nato', 'alliance'],
  ['oppose', 'block', 'against', 'reject'],
  ['name', 'known', 'called', 'dubbed', 'nicknamed'],
  ['describe', 'call', 'characterize', 'portray'],
  ['beforehand', 'before', 'prior', 'leading'],
];

function baseTerm(w: string): string {
  return stem(LEMMAS[w] ?? w);
}

/** Content terms for lexical retrieval: words minus stop words, lemmatised and stemmed. */
export function terms(s: string): string[] {
  return words(s)
    .filter((w) => !STOPWORDS.has(w))
    .map(baseTerm);
}

const SYNONYMS = new Map<string, Set<string>>();
for (const group of SYNONYM_GROUPS) {
  const stems = group.map(baseTerm);
  for (const t of stems) {
    const set = SYNONYMS.get(t) ?? new Set<string>();
    for (const other of stems) if (other !== t) set.add(other);
    SYNONYMS.set(t, set);
  }
}

export function synonymsOf(term: string): ReadonlySet<string> {
  return SYNONYMS.get(term) ?? new Set();
}

/** Query terms with weights: each term at 1, its synonyms at `synonymWeight` (never above a term's own). */
export function expandTerms(query: readonly string[], synonymWeight = 0.5): Map<string, number> {
  const weights = new Map<string, number>();
  for (const t of query) weights.set(t, 1);
  for (const t of query) {
    for (const syn of SYNONYMS.get(t) ?? []) {
      if ((weights.get(syn) ?? 0) < synonymWeight) weights.set(syn, synonymWeight);
    }
  }
  return weights;
}
