/**
 * The one reader of untrusted JSON, shared by every door: request bodies (functions/http), lines
 * of a bulk import and JSON cells of a CSV (functions/bulk). It lives in the domain because what
 * it refuses is a rule about what may be stored, not about HTTP.
 */
import { ValidationError } from '../errors.js';

/** Bodies above this are refused before parsing; no customer can be this large anyway. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Deeper nesting than any TMF resource needs is refused before it can exhaust a recursion. */
export const MAX_JSON_DEPTH = 64;

/**
 * One pass over JSON text, before it is parsed: how deep it nests, and the first integer literal
 * (digits without fraction or exponent) that a double cannot hold exactly, which JSON.parse would
 * silently round (9007199254740993 becomes ...992).
 */
/** A JSON number token, matched where the scan stands (sticky: no copy of the text per number). */
const NUMBER_TOKEN = /-?\d+(\.\d*)?([eE][-+]?\d*)?/y;

function scanJson(text: string): { depth: number; inexactInteger?: string } {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) max = Math.max(max, ++depth);
    else if (char === 0x7d || char === 0x5d) depth--;
    else if (char === 0x2d || (char >= 0x30 && char <= 0x39)) {
      NUMBER_TOKEN.lastIndex = i;
      const literal = NUMBER_TOKEN.exec(text)?.[0] ?? '-';
      // 16 digits and more may not be exact; shorter ones always are.
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal)))
        return { depth: max, inexactInteger: literal.slice(0, 40) };
      i += literal.length - 1;
    }
  }
  return { depth: max };
}

/** Where a reviver stands, for messages: the key, or `[i]` for an array element. */
const located = (key: string, holder: unknown) => (Array.isArray(holder) ? `[${key}]` : key || 'the document');

/**
 * Parses untrusted JSON (a request body, a line of a bulk import, a JSON cell of a CSV): at most
 * MAX_JSON_DEPTH levels, no `__proto__` key, only finite numbers (integers within ±2^53), and
 * only well-formed Unicode (no lone surrogate such as `\ud800`, which no UTF-8 consumer of an
 * export can read). Everything every door stores passes here, so hostile input is a 400 at the
 * door, never a crash, a polluted prototype or a value stored other than it was sent.
 */
export function parseJsonText(text: string, what: string): unknown {
  const scanned = scanJson(text);
  if (scanned.depth > MAX_JSON_DEPTH) {
    throw new ValidationError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (scanned.inexactInteger !== undefined) {
    throw new ValidationError(
      `${what} has the integer ${scanned.inexactInteger}, beyond ±${Number.MAX_SAFE_INTEGER} (2^53 - 1): it cannot be kept exactly; send it as a string`,
    );
  }
  // RFC 8259 forbids sending one; refused by name rather than as a bare "unexpected token".
  if (text.charCodeAt(0) === 0xfeff)
    throw new ValidationError(`${what} starts with a byte order mark (U+FEFF); send JSON without one`);
  try {
    return JSON.parse(text, function (this: unknown, key, value: unknown) {
      if (key === '__proto__') throw new ValidationError(`${what} may not contain a "__proto__" attribute`);
      if (!key.isWellFormed())
        throw new ValidationError(`${what} has an attribute name that is not well-formed Unicode (a lone surrogate)`);
      // JSON.parse reads 1e400 as Infinity, which would be stored as null and never validate again.
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new ValidationError(`${what}: ${located(key, this)} is a number beyond the range of a double (±1.8e308)`);
      } else if (typeof value === 'string' && !value.isWellFormed()) {
        throw new ValidationError(`${what}: ${located(key, this)} is not well-formed Unicode (a lone surrogate)`);
      }
      return value;
    });
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(`${what} is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}
