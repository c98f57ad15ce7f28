/**
 * A value built from the database and rebuilt only when a cheap version key changes (e.g. count + latest
 * update of a table). One per database handle; a failed build is forgotten so the next call retries.
 * Concurrent callers share version reads (sharedFreshRead): under load one query answers many requests.
 */
export function versionedCache<D extends object, T>(version: (db: D) => Promise<string>, build: (db: D, key: string) => Promise<T>) {
  const cache = new WeakMap<D, { key: string; value: Promise<T> }>();
  const readVersion = sharedFreshRead(version);
  /** The value for a version key the caller read itself (e.g. several caches' keys in one query). */
  const at = (db: D, key: string): Promise<T> => {
    const cached = cache.get(db);
    if (cached && cached.key === key) return cached.value;
    const value = build(db, key);
    cache.set(db, { key, value });
    value.catch(() => cache.delete(db));
    return value;
  };
  return Object.assign(async (db: D): Promise<T> => at(db, await readVersion(db)), { at });
}

/**
 * `read`, shared by concurrent callers without ever answering one with a read sent before it arrived: a caller
 * that finds a read under way waits for it to finish and then shares the next read with everyone else who
 * waited. So at most one read is in flight per handle and one queued, however many callers there are, and
 * each caller still sees every change committed before it called.
 */
export function sharedFreshRead<D extends object, T>(read: (db: D) => Promise<T>): (db: D) => Promise<T> {
  const byKey = sharedFreshReadByKey<D, T>((db) => read(db));
  return (db) => byKey(db, "");
}

/** sharedFreshRead per key (e.g. one API key's row): callers share reads only with callers asking for the same key. */
export function sharedFreshReadByKey<D extends object, T>(read: (db: D, key: string) => Promise<T>): (db: D, key: string) => Promise<T> {
  type State = { inFlight: Promise<T>; queued: Promise<T> | null };
  const handles = new WeakMap<D, Map<string, State>>();
  const start = (db: D, states: Map<string, State>, key: string): Promise<T> => {
    const state: State = { inFlight: read(db, key), queued: null };
    states.set(key, state);
    const settle = () => {
      if (states.get(key) === state && state.queued === null) states.delete(key);
    };
    state.inFlight.then(settle, settle);
    return state.inFlight;
  };
  return (db, key) => {
    let states = handles.get(db);
    if (!states) handles.set(db, (states = new Map<string, State>()));
    const state = states.get(key);
    if (!state) return start(db, states, key);
    const again = () => start(db, states, key);
    state.queued ??= state.inFlight.then(again, again);
    return state.queued;
  };
}
