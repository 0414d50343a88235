import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument } from '../../shared/adapters/http/openapi/build-openapi-document.js';
import { pathSegments } from '../../shared/domain/catalog/route-catalog.js';
import { CATALOG } from './catalog.js';

/**
 * Checks answers of the management API against its OpenAPI document (ajv, JSON Schema 2020-12 as
 * OpenAPI 3.1 uses it), so the document cannot drift from what the API does. The e2e fetch helper
 * calls `assertConformsToDocument` on every answer to a documented operation.
 */

// biome-ignore lint/suspicious/noExplicitAny: the document is JSON read generically.
type Json = any;

export const OPENAPI_DOCUMENT: Json = buildOpenApiDocument(CATALOG);
const DOCUMENT_ID = 'keygate-openapi.json';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats.default(ajv);
ajv.addSchema({ $id: DOCUMENT_ID, $defs: OPENAPI_DOCUMENT.components.schemas });
// The document's refs point at `#/components/schemas/X`; the same schemas are registered under `$defs`.
const validators = new Map<string, ValidateFunction>();

/** A validator for the named component schema. */
export function componentValidator(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const schema = JSON.parse(
      JSON.stringify(OPENAPI_DOCUMENT.components.schemas[name]).replaceAll(
        '"#/components/schemas/',
        `"${DOCUMENT_ID}#/$defs/`,
      ),
    );
    if (schema === undefined) throw new Error(`no component schema ${name}`);
    validate = ajv.compile(schema);
    validators.set(name, validate);
  }
  return validate;
}

/** The documented operation of `method path` (a concrete path), or undefined. */
export function documentedOperation(method: string, path: string): Json | undefined {
  const segments = pathSegments(path);
  for (const [template, item] of Object.entries<Json>(OPENAPI_DOCUMENT.paths)) {
    const templateSegments = pathSegments(template);
    if (templateSegments.length !== segments.length) continue;
    const matches = templateSegments.every(
      (segment, i) => (segment.startsWith('{') && segment.endsWith('}')) || segment === segments[i],
    );
    if (matches && item[method.toLowerCase()]) return item[method.toLowerCase()];
  }
  return undefined;
}

/** Problems with one answer, as readable lines; empty when it conforms (or the operation is undocumented). */
export function contractViolations(
  method: string,
  path: string,
  answer: { status: number; contentType: string | null; body: unknown },
): string[] {
  const operation = documentedOperation(method, path);
  if (!operation) return [];
  const where = `${method} ${path} → ${answer.status}`;
  const response = operation.responses[String(answer.status)];
  if (!response) return [`${where}: status ${answer.status} is not documented`];
  if (!response.content) {
    return answer.body === undefined ? [] : [`${where}: documented without a body, but one came`];
  }
  const mediaType = (answer.contentType ?? '').split(';')[0]?.trim() ?? '';
  const content = response.content[mediaType];
  if (!content) return [`${where}: content type ${mediaType || '(none)'} is not documented`];
  const name = String(content.schema.$ref).replace('#/components/schemas/', '');
  const validate = componentValidator(name);
  if (validate(answer.body)) return [];
  return (validate.errors ?? []).map((error) => `${where}: ${error.instancePath || '/'} ${error.message}`);
}

/** Throws, naming every violation, unless the answer conforms to the document. */
export function assertConformsToDocument(
  method: string,
  path: string,
  answer: { status: number; contentType: string | null; body: unknown },
): void {
  const violations = contractViolations(method, path, answer);
  if (violations.length > 0) {
    throw new Error(`the answer does not match docs/openapi.json:\n${violations.join('\n')}`);
  }
}
