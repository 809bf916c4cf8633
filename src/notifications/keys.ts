// Object keys as notifications carry them. S3 event notifications URL-encode the key the way
// HTML forms do ('+' for a space, '%2B' for a plus, UTF-8 percent escapes). EventBridge events
// are documented without any encoding, and real Security Lake keys arrive with a literal '='.

import { NotificationError } from '../errors.js';

/** Characters an S3 notification key can hold once encoded: everything else is escaped. */
const ENCODED_KEY_ALPHABET = /^[A-Za-z0-9.*_\-/+%~!'()]*$/;

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/** Decodes a key from an S3 event notification ('+' is a space). */
export function decodeFormEncodedKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new NotificationError(`object key is not valid URL encoding: ${encoded.slice(0, 200)}`);
  }
}

/**
 * Reads a key from an EventBridge event. AWS documents these keys as plain, so a key is taken
 * as it is unless it can only be an encoded one: it holds a percent escape and none of the
 * characters an encoder would have escaped (a plain Security Lake key holds a raw '=', an
 * encoded one '%3D'). Then it is decoded like an S3 notification key. A plain key that
 * happens to contain an escape-like '%41' and nothing else unusual is the one case this
 * reads wrongly.
 */
export function readEventBridgeKey(key: string): string {
  if (!PERCENT_ESCAPE.test(key) || !ENCODED_KEY_ALPHABET.test(key)) return key;

  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}
