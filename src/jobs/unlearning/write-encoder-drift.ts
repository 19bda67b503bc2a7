import type { ManagedTransaction } from 'neo4j-driver';
import { cypherText } from '../../graph/cypher-library.js';
import type { EncoderDrift } from './encoder-drift.js';

/** A model line's encoder drift as the request records it (one `encoderDrift` entry). */
export interface EncoderDriftEntry extends EncoderDrift {
  /** The model line (the model the line's update started from, as the request named it). */
  line: string;
}

/**
 * Records a model line's encoder drift on its UnlearningRequest, inside the line's write-back
 * transaction (Cypher: `write-back/unlearning-encoder-drift`): the entry is appended to
 * `encoderDrift` (JSON, one per line) and the request's `encoder*` properties keep the worst over
 * its lines so far.
 */
export async function writeEncoderDrift(
  tx: ManagedTransaction,
  requestId: string,
  entry: EncoderDriftEntry,
): Promise<void> {
  await tx.run(cypherText('write-back', 'unlearning-encoder-drift'), {
    id: requestId,
    entry: JSON.stringify(entry),
    status: entry.status,
    shift: entry.maxMeanShiftSd,
    shiftFeature: entry.maxMeanShiftFeature,
    ratio: entry.sdRatio,
    ratioFeature: entry.sdRatioFeature,
    levels: entry.levelsOnlyErased,
    levelFeatures: entry.levelsOnlyErasedFeatures,
  });
}

/**
 * A line's drift from the `encoderDrift` entries a request node keeps (`line`: the line's model
 * as the request named it); the last entry when none names it; undefined when there is none.
 */
export function encoderDriftOfLine(
  entries: unknown,
  line: string | undefined,
): EncoderDriftEntry | undefined {
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  const parsed = entries.map((e) => JSON.parse(String(e)) as EncoderDriftEntry);
  return parsed.find((e) => e.line === line) ?? parsed[parsed.length - 1];
}
