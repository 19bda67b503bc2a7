import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { InputError } from '../errors.js';

/** The typed arrays a section may hold. */
export type SectionArray = Float64Array | Float32Array | Uint32Array | Uint16Array | Uint8Array;

const dtypes = {
  float64: Float64Array,
  float32: Float32Array,
  uint32: Uint32Array,
  uint16: Uint16Array,
  uint8: Uint8Array,
} as const;

/**
 * A section's content: one typed array, or consecutive pieces of one (same element type) written
 * back to back, so a caller can leave parts of an array out without copying the rest.
 */
export type SectionData = SectionArray | SectionArray[];

/** Element type of a section. */
type SectionDtype = keyof typeof dtypes;

/** Where a section lives in the binary file. */
export interface SectionEntry {
  name: string;
  dtype: SectionDtype;
  /** Byte offset (multiple of 8). */
  offset: number;
  /** Number of elements. */
  length: number;
}

function dtypeOf(a: SectionArray): SectionDtype {
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof Uint16Array) return 'uint16';
  return 'uint8';
}

/**
 * Writes named typed arrays back to back (8-byte aligned, little-endian as the platform) into
 * `file` and returns their table and the content sha256 of the file. Written to a temporary
 * name and renamed, so a reader never sees half a file. The arrays are hashed and written as they
 * are (no copy of the whole file in memory); a section given in pieces is their concatenation.
 */
export async function writeSections(
  file: string,
  sections: Record<string, SectionData>,
): Promise<{ entries: SectionEntry[]; sha256: string; bytes: number }> {
  const entries: SectionEntry[] = [];
  const chunks: Uint8Array[] = [];
  const hash = createHash('sha256');
  let offset = 0;
  for (const [name, data] of Object.entries(sections)) {
    const pieces = Array.isArray(data) ? data : [data];
    const dtype = pieces.length > 0 ? dtypeOf(pieces[0]) : 'uint8';
    if (pieces.some((p) => dtypeOf(p) !== dtype))
      throw new TypeError(`section ${name}: its pieces are not all ${dtype}`);
    let byteLength = 0;
    let length = 0;
    for (const piece of pieces) {
      if (piece.byteLength === 0) continue;
      const bytes = new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength);
      hash.update(bytes);
      chunks.push(bytes);
      byteLength += piece.byteLength;
      length += piece.length;
    }
    const padding = new Uint8Array(Math.ceil(byteLength / 8) * 8 - byteLength);
    if (padding.byteLength > 0) {
      hash.update(padding);
      chunks.push(padding);
    }
    entries.push({ name, dtype, offset, length });
    offset += byteLength + padding.byteLength;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writev(chunks);
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  return { entries, sha256: hash.digest('hex'), bytes: offset };
}

/**
 * Reads a file written by {@link writeSections}, checking its sha256 first.
 *
 * @throws InputError `models.corruptArtifact` when the content hash differs.
 */
export async function readSections(
  file: string,
  entries: SectionEntry[],
  sha256: string,
): Promise<Record<string, SectionArray>> {
  const buffer = await fs.readFile(file);
  const actual = createHash('sha256').update(buffer).digest('hex');
  if (actual !== sha256) {
    throw new InputError(
      'models.corruptArtifact',
      `${file}: content sha256 is ${actual}, expected ${sha256} (the artifact was changed or truncated)`,
    );
  }
  // Sections are 8-byte aligned in the file: when the read buffer is too, they are views of it
  // (no copy); otherwise each is copied into an aligned buffer of its own.
  const aligned = buffer.byteOffset % 8 === 0;
  const out: Record<string, SectionArray> = {};
  for (const entry of entries) {
    const Ctor = dtypes[entry.dtype];
    const bytes = entry.length * Ctor.BYTES_PER_ELEMENT;
    if (entry.offset + bytes > buffer.byteLength)
      throw new InputError(
        'models.corruptArtifact',
        `${file}: section ${entry.name} runs past the end of the file`,
      );
    if (aligned) out[entry.name] = new Ctor(buffer.buffer, buffer.byteOffset + entry.offset, entry.length);
    else {
      const copy = new ArrayBuffer(bytes);
      new Uint8Array(copy).set(buffer.subarray(entry.offset, entry.offset + bytes));
      out[entry.name] = new Ctor(copy);
    }
  }
  return out;
}
