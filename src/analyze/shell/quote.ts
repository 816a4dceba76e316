/** Characters a shell word can hold without quotes and mean the same (`~` is left bare: it expands). */
const SAFE_WORD = /^[\w@%+=:,./~-]+$/;

/** A word in single quotes, which keep every character literal. */
export function singleQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** One word as a shell would need it written: bare when that is safe, in single quotes otherwise. */
export function quoteWord(word: string): string {
  return SAFE_WORD.test(word) ? word : singleQuote(word);
}
