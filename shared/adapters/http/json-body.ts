import { findDuplicateMembers } from './duplicate-members.js';
import { judgeJsonMediaType } from './media-type.js';
import { BadRequestError, UnsupportedMediaTypeError } from './problem.js';

/** What a management request sent: its Content-Type (if any) and its body, already base64-decoded. */
export interface RawBody {
  contentType: string | undefined;
  text: string | null | undefined;
}

/**
 * Reads a management request body as JSON, or throws the problem to answer:
 * - 415 when the Content-Type is not JSON (`judgeJsonMediaType`), or absent on a non-empty body:
 *   a strict API does not guess what a body is;
 * - 400 when the body is empty, does not parse, or repeats a member name (each repeat named by its
 *   JSON Pointer).
 * The parse error's text is not passed on: it may quote the body, which can carry a credential.
 */
export function readJsonBody({ contentType, text }: RawBody): unknown {
  const declared = contentType !== undefined && contentType.trim() !== '';
  if (declared) {
    const verdict = judgeJsonMediaType(contentType);
    if (!verdict.ok) throw new UnsupportedMediaTypeError(verdict.detail);
  }
  if (text === null || text === undefined || text.trim() === '') {
    throw new BadRequestError('The request body must be a JSON object.', [
      { pointer: '', detail: 'a JSON object is required' },
    ]);
  }
  if (!declared) {
    throw new UnsupportedMediaTypeError(
      'Send the request body as JSON, with Content-Type: application/json (the request has no Content-Type).',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError('The request body is not valid JSON.', [
      { pointer: '', detail: 'malformed JSON' },
    ]);
  }
  const duplicates = findDuplicateMembers(text);
  if (duplicates.length > 0) {
    throw new BadRequestError(
      'The request body repeats a member name; each member may appear once in an object.',
      duplicates.map((pointer) => ({ pointer, detail: 'this member appears more than once' })),
    );
  }
  return value;
}
