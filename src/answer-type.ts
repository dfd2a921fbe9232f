/**
 * Expected answer types: "How often …?" wants a frequency, "When …?" a date, "Where …?" a place.
 * A sentence that holds the expected type is a better answer; a question whose type appears nowhere in
 * the article is a hint that the article doesn't say. Pure and small on purpose.
 */
export type AnswerType = 'frequency' | 'duration' | 'quantity' | 'date' | 'clock' | 'place';

const NUMBER = String.raw`(?:\d[\d,.½]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?|several|a few)`;

const PATTERNS: Record<AnswerType, RegExp> = {
  frequency: new RegExp(String.raw`\b(?:${NUMBER}\s+times|once|twice|daily|weekly|monthly|yearly|annually|every\s+\w+|repeatedly|frequently|regularly)\b`, 'i'),
  duration: new RegExp(String.raw`\b${NUMBER}[\s-]+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|year)\b`, 'i'),
  quantity: new RegExp(String.raw`\b${NUMBER}\b`, 'i'),
  date: /\b(?:1[5-9]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|(?:last|next|this)\s+(?:week|month|year))\b/i,
  clock: /\b(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon\b|midnight\b|o['’]clock\b)/i,
  place: /\b(?:in|at|to|from|near)\s+(?:the\s+)?[A-Z][\p{L}-]+/u,
};

const QUESTION_TYPES: [RegExp, AnswerType][] = [
  [/\bhow (?:often|frequently)\b|\bhow many times\b/i, 'frequency'],
  [/\bhow long\b/i, 'duration'],
  [/\bwhat time\b|\bat what hour\b/i, 'clock'],
  [/\bhow (?:many|much)\b|\bwhat (?:number|percentage|share|amount)\b/i, 'quantity'],
  [/\bwhen\b|\bwhat (?:year|date|day|month)\b/i, 'date'],
  [/\bwhere\b|\bin what (?:city|place|country)\b/i, 'place'],
];

export function expectedAnswerType(question: string): AnswerType | undefined {
  for (const [pattern, type] of QUESTION_TYPES) if (pattern.test(question)) return type;
  return undefined;
}

export function hasAnswerType(text: string, type: AnswerType): boolean {
  return PATTERNS[type].test(text);
}
