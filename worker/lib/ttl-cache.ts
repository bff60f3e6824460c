/**
 * A small per-isolate cache: at most `max` entries, each kept `ttlMs`. It caches the promise, so
 * concurrent misses for one key share one load; a load that fails is forgotten at once. When full,
 * the oldest entry goes (a Map iterates in insertion order), so a flood of unknown keys can evict
 * but never grow it. The clock is injected so tests can age entries.
 */
export function ttlCache<V>(opts: { max: number; ttlMs: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { expires: number; value: Promise<V> }>();
  return {
    get(key: string, load: () => Promise<V>): Promise<V> {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value;
      entries.delete(key);
      if (entries.size >= opts.max) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      const value = load();
      const entry = { expires: now() + opts.ttlMs, value };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}
