// Compressed formats this program does not read, known by the bytes every file of theirs
// starts with (from each format's specification). Refusing them by name keeps their bytes
// from being sent as lines of garbage and tells the operator what to change.
// A signature must be long or odd enough that no log line starts with it: bzip2's `BZh`
// counts only with its block size digit and the magic number of its first block.

interface Signature {
  readonly format: string;
  readonly bytes: readonly (readonly number[])[];
}

const BZIP2_HEADER = [0x42, 0x5a, 0x68]; // "BZh"
const BZIP2_BLOCK = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]; // BCD of pi
const BZIP2_END = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90]; // BCD of sqrt(pi): empty stream

/** Every bzip2 signature: "BZh", a block size digit 1-9, then a block or the stream end. */
function bzip2Signatures(): number[][] {
  const signatures: number[][] = [];
  for (let digit = 0x31; digit <= 0x39; digit++) {
    signatures.push([...BZIP2_HEADER, digit, ...BZIP2_BLOCK]);
    signatures.push([...BZIP2_HEADER, digit, ...BZIP2_END]);
  }
  return signatures;
}

/** zstd and LZ4 frames may be preceded by skippable frames: magic 0x184D2A50 to ...5F. */
function skippableFrameSignatures(): number[][] {
  const signatures: number[][] = [];
  for (let low = 0x50; low <= 0x5f; low++) signatures.push([low, 0x2a, 0x4d, 0x18]);
  return signatures;
}

const UNSUPPORTED: readonly Signature[] = [
  { format: 'bzip2', bytes: bzip2Signatures() },
  { format: 'xz', bytes: [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]] },
  { format: 'zstd', bytes: [[0x28, 0xb5, 0x2f, 0xfd]] },
  { format: '7z', bytes: [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]] },
  { format: 'LZ4', bytes: [[0x04, 0x22, 0x4d, 0x18], [0x02, 0x21, 0x4c, 0x18]] },
  { format: 'zstd or LZ4 (skippable frame)', bytes: skippableFrameSignatures() },
  {
    format: 'Snappy (framing format)',
    bytes: [[0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]],
  },
  { format: 'Unix compress (.Z)', bytes: [[0x1f, 0x9d]] },
];

/** Enough bytes to recognise any signature above (and gzip's and zip's). */
export const SIGNATURE_BYTES = 10;

/** The name of the unsupported compressed format the first bytes announce, if any. */
export function unsupportedFormat(head: Uint8Array): string | undefined {
  const matches = (bytes: readonly number[]): boolean =>
    head.length >= bytes.length && bytes.every((byte, index) => head[index] === byte);
  return UNSUPPORTED.find((signature) => signature.bytes.some(matches))?.format;
}
