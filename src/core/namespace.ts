import { LogConfigError } from './errors.js';

/** The path separator of namespaces: `com.acme.shop/checkout/cart`. */
export const NAMESPACE_SEPARATOR = '/';

/**
 * Normalizes a namespace path: empty segments are dropped, so `'/a//b/'` is `'a/b'` and `''` is the root.
 * @throws LogConfigError when `path` is not a string
 */
export function normalizeNamespace(path: unknown): string {
  if (typeof path !== 'string') {
    throw new LogConfigError(
      `namespace path must be a string like 'shop/cart', got ${typeof path}`,
    );
  }
  if (path.indexOf('//') === -1 && path[0] !== '/' && path[path.length - 1] !== '/') return path;
  return path.split(NAMESPACE_SEPARATOR).filter(Boolean).join(NAMESPACE_SEPARATOR);
}

/** Joins a parent namespace and a (normalized) child path. */
export function joinNamespace(parent: string, child: string): string {
  if (!child) return parent;
  return parent ? parent + NAMESPACE_SEPARATOR + child : child;
}

/** The parent path of `namespace`, or `undefined` for the root. */
export function parentNamespace(namespace: string): string | undefined {
  if (namespace === '') return undefined;
  const cut = namespace.lastIndexOf(NAMESPACE_SEPARATOR);
  return cut === -1 ? '' : namespace.slice(0, cut);
}
