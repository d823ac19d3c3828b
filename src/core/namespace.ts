import { configFail } from './check.js';

/**
 * Normalizes a namespace path: empty segments are dropped, so `'/a//b/'` is `'a/b'` and `''` is the root.
 * @throws LogConfigError when `path` is not a string
 */
export function normalizeNamespace(path: unknown): string {
  if (typeof path != 'string')
    configFail('namespace', `a path must be a string like 'shop/cart', got ${typeof path}`);
  return path.split('/').filter(Boolean).join('/');
}

/** Joins a parent namespace and a (normalized) child path. */
export function joinNamespace(parent: string, child: string): string {
  return parent && child ? parent + '/' + child : parent || child;
}

/** The parent path of `namespace`, or `undefined` for the root. */
export function parentNamespace(namespace: string): string | undefined {
  return namespace ? namespace.slice(0, Math.max(0, namespace.lastIndexOf('/'))) : undefined;
}
