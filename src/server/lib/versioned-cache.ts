/**
 * A value built from the database and rebuilt only when a cheap version key changes (e.g. count + latest
 * update of a table). One per database handle; a failed build is forgotten so the next call retries.
 */
export function versionedCache<D extends object, T>(version: (db: D) => Promise<string>, build: (db: D, key: string) => Promise<T>) {
  const cache = new WeakMap<D, { key: string; value: Promise<T> }>();
  return async function current(db: D): Promise<T> {
    const key = await version(db);
    const cached = cache.get(db);
    if (cached && cached.key === key) return cached.value;
    const value = build(db, key);
    cache.set(db, { key, value });
    value.catch(() => cache.delete(db));
    return value;
  };
}
