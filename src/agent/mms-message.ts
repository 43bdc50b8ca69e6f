/** The longest MMS message the server takes with an outcome (POST /agent/batches/{id}/outcome). */
export const MAX_MMS_MESSAGE = 2000;

const ELLIPSIS = '…';

/**
 * The MMS's own words about a refused line or file, made fit for the server: an `.error`
 * file or an exception may hold anything (tabs, NULs, another encoding's bytes, a stack
 * trace), while the server takes at most 2,000 characters with no control characters
 * other than line breaks. Line breaks become LF; U+2028/U+2029 become LF too; every other
 * control character and an unpaired surrogate become a space or U+FFFD; trailing spaces
 * of each line and runs of blank lines go; a longer text is cut, without splitting a
 * surrogate pair, and ends in "…". An empty result gives `fallback`.
 */
export function mmsMessage(raw: string, fallback: string): string {
  const text = raw
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\p{Cs}/gu, '\ufffd')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (text === '') return fallback.length > MAX_MMS_MESSAGE ? cut(fallback) : fallback;
  return text.length > MAX_MMS_MESSAGE ? cut(text) : text;
}

function cut(text: string): string {
  let end = MAX_MMS_MESSAGE - ELLIPSIS.length;
  // Never leave the high half of a pair behind without its low half.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}
