/**
 * Minimal Reflect metadata API (define/get/has, own and inherited), enough for tsyringe inside @peculiar/x509.
 * Installed only when `Reflect.getMetadata` is missing, so a real `reflect-metadata` always wins.
 */
type Key = string | symbol | undefined;
const store = new WeakMap<object, Map<Key, Map<unknown, unknown>>>();

function own(target: object, property: Key, create: boolean): Map<unknown, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty && create) store.set(target, (byProperty = new Map<Key, Map<unknown, unknown>>()));
  let entries = byProperty?.get(property);
  if (!entries && create && byProperty) byProperty.set(property, (entries = new Map<unknown, unknown>()));
  return entries;
}

function lookup(key: unknown, target: object, property?: Key): unknown {
  for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
    const entries = own(t, property, false);
    if (entries?.has(key)) return entries.get(key);
  }
  return undefined;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== "function") {
  Object.assign(R, {
    defineMetadata: (key: unknown, value: unknown, target: object, property?: Key) => void own(target, property, true)!.set(key, value),
    getOwnMetadata: (key: unknown, target: object, property?: Key) => own(target, property, false)?.get(key),
    getMetadata: lookup,
    hasOwnMetadata: (key: unknown, target: object, property?: Key) => own(target, property, false)?.has(key) ?? false,
    hasMetadata: (key: unknown, target: object, property?: Key) => lookup(key, target, property) !== undefined,
    metadata: (key: unknown, value: unknown) => (target: object, property?: Key) => void own(target, property, true)!.set(key, value),
  });
}

export {};
