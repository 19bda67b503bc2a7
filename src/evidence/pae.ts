/**
 * DSSE v1 pre-authentication encoding: what is signed is
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as ASCII decimal byte counts.
 * Binding the payload type to the bytes means no JSON canonicalisation is needed: the signature
 * covers the exact payload bytes.
 *
 * @example
 * pae('application/vnd.in-toto+json', Buffer.from('{}')) // "DSSEv1 28 application/vnd.in-toto+json 2 {}"
 */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}
