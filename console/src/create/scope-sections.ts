import type { ScopeCatalog, ScopeDescription } from '../api/types.js';

/** A section of the picker: an umbrella group (e.g. all of PBX) or one namespace. DOM-free. */
export interface ScopeSection {
  id: string;
  title: string;
  /** What the section spans, for a group. */
  hint?: string;
  fullScope: string;
  readScope?: string;
}

/** Groups first (they span many namespaces), then namespaces, in the catalog's order. */
export function sectionsOf(catalog: ScopeCatalog): ScopeSection[] {
  return [
    ...catalog.groups.map((group) => ({
      id: `group-${group.group}`,
      title: `All of ${group.group}`,
      hint: `Every ${group.group} section: ${group.namespaces.join(', ')}.`,
      fullScope: group.fullScope,
      ...(group.readScope ? { readScope: group.readScope } : {}),
    })),
    ...catalog.namespaces.map((namespace) => ({
      id: `ns-${namespace.namespace}`,
      title: namespace.group ? `${namespace.namespace} (${namespace.group})` : namespace.namespace,
      fullScope: namespace.fullScope,
      ...(namespace.readScope ? { readScope: namespace.readScope } : {}),
    })),
  ];
}

/** Whether an operation scope matches the search, by scope or description (case-insensitive). */
export function operationMatches(scope: ScopeDescription, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return (
    needle === '' ||
    scope.scope.toLowerCase().includes(needle) ||
    scope.description.toLowerCase().includes(needle)
  );
}
