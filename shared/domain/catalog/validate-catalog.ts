import { validateScopes } from '../scopes/scope-normalisation.js';
import type { CatalogError, ParsedCatalogFile, SourcedRoute } from './catalog-errors.js';
import type { CatalogRoute } from './catalog-types.js';
import { compareTemplates, parsePathTemplate, type TemplateSegment, templateShape } from './path-template.js';
import { RouteCatalog } from './route-catalog.js';

/** Where built-in routes are said to come from in errors. */
const BUILT_IN = 'keygate (built in)';

interface Entry {
  readonly source: SourcedRoute;
  readonly segments: readonly TemplateSegment[];
  /** HEAD answers wherever GET does, so the two are one method when routes are compared. */
  readonly methodClass: string;
}

/**
 * Checks what no single route shows: duplicates and clashing templates (within a file, across files
 * and against keygate's own `reserved` routes), routes on a path keygate `served` itself, a
 * namespace split across groups, a group that is also a namespace, and scope descriptions for scopes
 * no route makes. Every problem is returned.
 */
export function validateCatalog(
  files: readonly ParsedCatalogFile[],
  reserved: readonly CatalogRoute[] = [],
  served: readonly string[] = [],
): CatalogError[] {
  const errors: CatalogError[] = [];
  const sourced = files.flatMap((file) => file.routes);
  const entries = [...reserved.map((route) => ({ route, file: BUILT_IN, at: route.id })), ...sourced].flatMap(
    (source): Entry[] => {
      const template = parsePathTemplate(source.route.path);
      if (!template.ok) return [];
      const methodClass = source.route.method === 'HEAD' ? 'GET' : source.route.method;
      return [{ source, segments: template.segments, methodClass }];
    },
  );
  const clash = (entry: Entry, other: Entry, message: string) => {
    // Report on the catalog file's side; a built-in route is only ever the other side.
    const [here, there] = entry.source.file === BUILT_IN ? [other, entry] : [entry, other];
    errors.push({
      file: here.source.file,
      at: here.source.at,
      message,
      also: { file: there.source.file, at: there.source.at },
    });
  };

  // Same shape: both match exactly the same requests.
  const byShape = new Map<string, Entry>();
  for (const entry of entries) {
    const key = `${entry.methodClass} ${templateShape(entry.segments)}`;
    const first = byShape.get(key);
    if (first === undefined) {
      byShape.set(key, entry);
      continue;
    }
    const [a, b] = [first.source.route, entry.source.route];
    if (entry.source.file !== BUILT_IN && first.source.file === BUILT_IN) {
      clash(entry, first, `${b.id} clashes with keygate's own route ${a.id}`);
    } else if (a.method !== b.method) {
      clash(
        entry,
        first,
        `${b.id} duplicates ${a.id}: HEAD is answered wherever GET is, with the same scopes`,
      );
    } else if (a.path === b.path) {
      clash(entry, first, `duplicate route ${b.id}`);
    } else if (a.path.replace(/\/$/, '') === b.path.replace(/\/$/, '')) {
      clash(entry, first, `${b.id} and ${a.id} are one route: a trailing slash is not significant`);
    } else {
      clash(entry, first, `clashing templates: ${b.id} and ${a.id} match the same requests; keep one`);
    }
  }

  // Paths keygate serves itself beside the API (locally before any route, in AWS from CloudFront): a
  // route there would never reach its backend through them. One ending in `/` covers what is below it.
  const isServed = (template: string) => {
    const path = template.replace(/\/$/, '');
    return served.some((at) =>
      at.endsWith('/') ? path === at.slice(0, -1) || path.startsWith(at) : path === at,
    );
  };
  const servedList = served.map((at) => (at.endsWith('/') ? `${at}…` : at)).join(', ');
  for (const source of sourced) {
    if (isServed(source.route.path))
      errors.push({
        file: source.file,
        at: source.at,
        message: `${source.route.id} is on a path keygate serves itself (${servedList}): choose another path`,
      });
  }

  // Crossing templates: both match some request and neither is more specific.
  const buckets = new Map<string, Entry[]>();
  for (const entry of byShape.values()) {
    const key = `${entry.methodClass} ${entry.segments.length}`;
    buckets.set(key, [...(buckets.get(key) ?? []), entry]);
  }
  for (const bucket of buckets.values()) {
    for (let i = 0; i < bucket.length; i++) {
      for (let j = i + 1; j < bucket.length; j++) {
        const [a, b] = [bucket[i] as Entry, bucket[j] as Entry];
        const relation = compareTemplates(a.segments, b.segments);
        if (relation.kind !== 'crossing') continue;
        const [winner, loser] = relation.winner === 0 ? [a, b] : [b, a];
        clash(
          b,
          a,
          `clashing templates: ${b.source.route.id} and ${a.source.route.id} both match ${relation.sample} and neither is more specific; a literal segment beats a parameter at the first position they differ, so ${winner.source.route.id} would win over ${loser.source.route.id}. Make one template more specific`,
        );
      }
    }
  }

  // One namespace, one group: otherwise `group:*` would cover only part of the namespace.
  const groupOf = new Map<string, SourcedRoute>();
  for (const source of sourced) {
    const first = groupOf.get(source.route.namespace);
    if (first === undefined) groupOf.set(source.route.namespace, source);
    else if (first.route.group !== source.route.group) {
      const says = (route: CatalogRoute) =>
        route.group === undefined ? 'in no group' : `in group "${route.group}"`;
      errors.push({
        file: source.file,
        at: source.at,
        message: `namespace "${source.route.namespace}" is ${says(source.route)} here but ${says(first.route)} at its first route; every route of a namespace is in the same group`,
        also: { file: first.file, at: first.at },
      });
    }
  }
  for (const source of sourced) {
    const group = source.route.group;
    const namesake = group === undefined ? undefined : groupOf.get(group);
    if (namesake !== undefined) {
      errors.push({
        file: source.file,
        at: source.at,
        message: `group "${group}" is also a namespace, so "${group}:*" would mean two things`,
        also: { file: namesake.file, at: namesake.at },
      });
      groupOf.delete(group as string); // once per group is enough
    }
  }

  // Descriptions only for scopes a key can hold, once each; judged on a catalog with no clashes.
  if (errors.length === 0) {
    const catalog = new RouteCatalog(sourced.map((source) => source.route));
    const described = new Map<string, { file: string; at: string }>();
    for (const file of files) {
      for (const { scope, at } of file.scopes) {
        const earlier = described.get(scope);
        if (earlier) {
          errors.push({ file: file.file, at, message: `scope ${scope} is described twice`, also: earlier });
        } else if (!validateScopes([scope], catalog).ok) {
          errors.push({ file: file.file, at, message: `scope ${scope} is described but no route makes it` });
        }
        described.set(scope, { file: file.file, at });
      }
    }
  }
  return errors;
}
