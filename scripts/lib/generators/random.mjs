// A seeded source of randomness for the log generators. The same seed always yields the same
// sequence, so a generated file is byte-for-byte reproducible and a test can name its input.

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/**
 * mulberry32: tiny, fast and good enough for test data (not for anything secret). Returns
 * numbers in [0, 1) drawn from a 32-bit integer seed.
 */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Folds any string or number into a 32-bit seed (FNV-1a), so seeds can be readable names. */
export function seedFrom(value) {
  let hash = 0x811c9dc5;
  for (const char of String(value)) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function createRandom(seed) {
  const next = mulberry32(seedFrom(seed));

  /** An integer from min to max, both included. */
  function int(min, max) {
    return min + Math.floor(next() * (max - min + 1));
  }

  function chance(probability) {
    return next() < probability;
  }

  function pick(items) {
    return items[Math.floor(next() * items.length)];
  }

  /** Picks from [[weight, item], ...] in proportion to the weights. */
  function weighted(entries) {
    const total = entries.reduce((sum, [weight]) => sum + weight, 0);
    let point = next() * total;
    for (const [weight, item] of entries) {
      point -= weight;
      if (point < 0) return item;
    }
    return entries[entries.length - 1][1];
  }

  function chars(alphabet, length) {
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
    return text;
  }

  const hex = (length) => chars(HEX, length);
  const alphanumeric = (length) => chars(ALPHANUMERIC, length);
  const upper = (length) => chars(ALPHANUMERIC.slice(0, 26) + '234567', length);

  /** A version 4 UUID drawn from this sequence. */
  function uuid() {
    const variant = pick(['8', '9', 'a', 'b']);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  }

  return { next, int, chance, pick, weighted, hex, alphanumeric, upper, uuid };
}

/** A child sequence for one part of the output, independent of how much the others drew. */
export function forkRandom(seed, ...path) {
  return createRandom(`${seed}/${path.join('/')}`);
}
