import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { InputError } from '../errors.js';

/** The typed arrays a section may hold. */
export type SectionArray = Float64Array | Float32Array | Uint32Array | Uint8Array;

const dtypes = {
  float64: Float64Array,
  float32: Float32Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
} as const;

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
  return 'uint8';
}

/**
 * Writes named typed arrays back to back (8-byte aligned, little-endian as the platform) into
 * `file` and returns their table and the content sha256 of the file. Written to a temporary
 * name and renamed, so a reader never sees half a file.
 */
export async function writeSections(
  file: string,
  sections: Record<string, SectionArray>,
): Promise<{ entries: SectionEntry[]; sha256: string; bytes: number }> {
  const entries: SectionEntry[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(sections)) {
    entries.push({ name, dtype: dtypeOf(array), offset, length: array.length });
    offset += Math.ceil(array.byteLength / 8) * 8;
  }
  const buffer = Buffer.alloc(offset);
  for (const entry of entries) {
    const a = sections[entry.name];
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(buffer, entry.offset);
  }
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, buffer);
  await fs.rename(tmp, file);
  return { entries, sha256, bytes: buffer.length };
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
  const out: Record<string, SectionArray> = {};
  for (const entry of entries) {
    const Ctor = dtypes[entry.dtype];
    const bytes = entry.length * Ctor.BYTES_PER_ELEMENT;
    // Copy into an aligned buffer of its own.
    const copy = new ArrayBuffer(bytes);
    new Uint8Array(copy).set(buffer.subarray(entry.offset, entry.offset + bytes));
    out[entry.name] = new Ctor(copy);
  }
  return out;
}
