/**
 * `k=v` items of a signature header, e.g. Buildkite `timestamp=…,signature=…`, Paddle `ts=…;h1=…;h1=…`
 * or CircleCI `v1=…,v2=…`. A key may repeat (several signatures while a secret rotates), so each key
 * maps to every value it had, in order. Items are split on the first `=` only: base64 values end in `=`.
 */
export function headerParams(header: string, itemSeparator: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const item of header.split(itemSeparator)) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (value === '') continue;
    params.set(key, [...(params.get(key) ?? []), value]);
  }
  return params;
}
