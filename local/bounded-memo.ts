/**
 * `compute` remembered per key, for the local gateway's per-request work whose inputs repeat (peer
 * addresses, policy patterns, resource paths). Bounded: past `limit` keys the memory starts afresh,
 * so a client that invents a new input each time costs recomputation, never unbounded memory.
 */
export function boundedMemo<V>(compute: (key: string) => V, limit = 1_000): (key: string) => V {
  const memory = new Map<string, V>();
  return (key) => {
    let value = memory.get(key);
    if (value === undefined) {
      value = compute(key);
      if (memory.size >= limit) memory.clear();
      memory.set(key, value);
    }
    return value;
  };
}
