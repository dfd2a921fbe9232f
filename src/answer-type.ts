/**
 * Expected answer types: "How often …?" wants a frequency, "When …?" a date, "Where …?" a place.
 * A sentence that holds the expected type is a better answer; a question whose type appears nowhere in
 * the article is a hint that the article doesn't say. Pure and small on purpose.
 */
export type AnswerType = 'frequency' | 'duration' | 'quantity' | 'measure' | 'date' | 'clock' | 'place';

const NUMBER = String.raw`(?:\d[\d,.½]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?|several|a few)`;

const PATTERNS: Record<AnswerType, RegExp> = {
  frequency: new RegExp(String.raw`\b(?:${NUMBER}\s+times|once|twice|daily|weekly|monthly|yearly|annually|every\s+\w+|repeatedly|frequently|regularly)\b`, 'i'),
  duration: new RegExp(String.raw`\b${NUMBER}[\s-]+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|year)\b`, 'i'),
  quantity: new RegExp(String.raw`\b${NUMBER}\b`, 'i'),
  measure: new RegExp(String.raw`\b${NUMBER}[\s-]*(?:feet|foot|ft|inch(?:es)?|meters?|metres?|cm|centimeters?|miles?|kilometers?|km|pounds?|lbs?|kilograms?|kg|tons?|years?\s+old|square)\b`, 'i'),
  date: /\b(?:1[5-9]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|(?:last|next|this)\s+(?:week|month|year))\b/i,
  clock: /\b(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon\b|midnight\b|o['’]clock\b)/i,
  place: /\b(?:in|at|to|from|near)\s+(?:the\s+)?[A-Z][\p{L}-]+/u,
};

const QUESTION_TYPES: [RegExp, AnswerType][] = [
  [/\bhow (?:often|frequently)\b|\bhow many times\b/i, 'frequency'],
  [/\bhow long\b/i, 'duration'],
  [/\bhow (?:tall|old|big|far|heavy|large|wide|deep|high|fast)\b/i, 'measure'],
  [/\bwhat time\b|\bat what hour\b/i, 'clock'],
  [/\bhow (?:many|much)\b|\bwhat (?:number|percentage|share|amount)\b/i, 'quantity'],
  [/\bwhen\b|\bwhat (?:year|date|day|month)\b/i, 'date'],
  [/\bwhere\b|\bin what (?:city|place|country)\b/i, 'place'],
];

export function expectedAnswerType(question: string): AnswerType | undefined {
  for (const [pattern, type] of QUESTION_TYPES) if (pattern.test(question)) return type;
  return undefined;
}

/** The thing counted in "How many X …?", if the question says. */
export function countedNoun(question: string): string | undefined {
  const phrase =
    /\bhow many\s+(?:of\s+the\s+)?((?:[\p{L}-]+\s+){0,2}?[\p{L}-]+)\s+(?:do|does|did|are|is|were|was|have|has|had|will|would|can|could)\b/iu.exec(question)?.[1] ??
    /\bhow many\s+(?:of\s+the\s+)?([\p{L}-]+)/iu.exec(question)?.[1];
  return phrase?.split(/\s+/).at(-1);
}

/** "What did X say/tell/write …?" gives X (the words between). */
export function askedSpeaker(question: string): string | undefined {
  return /\b(?:what|how)\s+(?:did|does|do|has|have|had)\s+(.+?)\s+(?:say|said|tell|told|write|wrote|claim|announce|argue|respond|react|post|tweet)\b/iu.exec(question)?.[1];
}

export function hasAnswerType(text: string, type: AnswerType): boolean {
  return PATTERNS[type].test(text);
}
