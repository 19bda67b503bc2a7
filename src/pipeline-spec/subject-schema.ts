import { z } from 'zod';
import { columnNameSchema, idSchema } from './names.js';

/**
 * How the rows of one source reach their data subject: the subject id is the value of `column`,
 * in the source itself, or (with `via`) in the one row of another source that the `on` columns
 * match (`on: { own column: via column }`, many-to-one on the data).
 */
const subjectSourceSchema = z
  .strictObject({
    column: columnNameSchema.describe(
      'Column holding the subject id: of this source, or of the `via` source when one is given',
    ),
    via: idSchema
      .optional()
      .describe(
        'Another source whose matching row holds the subject id (e.g. a card reaches its client via disp)',
      ),
    on: z
      .record(columnNameSchema, columnNameSchema)
      .refine((on) => Object.keys(on).length > 0, 'expected at least one column pair')
      .optional()
      .describe(
        'With via: this source column → the via source column it must equal, e.g. { disp_id: disp_id }',
      ),
  })
  .describe('How the rows of a source reach their data subject');

/**
 * The pipeline's data subject (GDPR: the person a request names): what one subject is and, per
 * source, how its rows reach the subject's id. Sources not listed have no subject.
 *
 * @example
 * // subject: { name: client, sources: { client: { column: client_id }, disp: { column: client_id },
 * //   card: { via: disp, on: { disp_id: disp_id }, column: client_id } } }
 */
export const subjectSchema = z
  .strictObject({
    name: idSchema.describe('What one data subject is, e.g. client or applicant'),
    description: z.string().optional().describe('Who the subject is, in words'),
    sources: z
      .record(idSchema, subjectSourceSchema)
      .refine((s) => Object.keys(s).length > 0, 'expected at least one source')
      .describe('Per source name, how its rows reach the subject id'),
  })
  .describe('The data subject of the pipeline and how each listed source reaches it');

/** A parsed subject declaration. */
export type SubjectSpec = z.output<typeof subjectSchema>;
/** How one source reaches the subject. */
export type SubjectSourceSpec = SubjectSpec['sources'][string];
