/** Length bounds on text that never split a character: a cut string stays well-formed Unicode. */

/**
 * The first `max` UTF-16 code units of `text`, one fewer when the last one kept would be the first half of a
 * surrogate pair (an emoji or another character outside the Basic Multilingual Plane). A half character
 * is not valid Unicode: JSON writers escape it as `\ud83d` and readers such as DuckDB refuse the file.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
