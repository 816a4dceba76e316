/**
 * Small text helpers written as loops where the obvious regular expression backtracks: `/\/+$/`
 * takes time quadratic in a run of slashes that is not at the end, on text an agent controls.
 */

/** `text` without any run of `char` at its end. */
export function withoutTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}
