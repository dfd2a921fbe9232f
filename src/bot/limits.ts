/** Discord's message limits, and the one truncation helper everything goes through. */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  choices: 25,
  choiceName: 100,
  buttonLabel: 80,
} as const;

const ELLIPSIS = '…';
/** A citation marker such as [¶30] or [¶6 (photo caption)]; never cut in half. */
const MARKER = /\[¶\d+[^\]]{0,24}\]/g;

/**
 * Shortens `text` to at most `max` characters, preferring a word boundary, adding "…", and never
 * cutting inside a citation marker (a marker that would be cut is dropped whole).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  let cut = max - ELLIPSIS.length;
  for (const m of text.matchAll(MARKER)) {
    const start = m.index!;
    const end = start + m[0].length;
    if (start < cut && end > cut) {
      cut = start;
      break;
    }
  }
  const space = text.lastIndexOf(' ', cut);
  if (space > cut * 0.6) cut = space;
  return text.slice(0, cut).trimEnd() + ELLIPSIS;
}

/** Escapes user text so it shows literally: no markdown, no mentions, no masked links. */
export function escapeUserText(text: string): string {
  return text
    .replace(/[\\*_~`|>#[\]()-]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b')
    .replace(/<(?=[@#:a/])/g, '<\u200b')
    .replace(/https?:\/\//gi, (m) => m.replace('://', ':\u200b//'));
}
