/**
 * The query string of `url` with `changes` applied (null removes a key). Form-action markers
 * (`/claim`) are dropped, so links built on a page reached by a form post stay clean.
 */
export function queryWith(url: URL, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(url.searchParams);
  for (const key of [...params.keys()]) if (key.startsWith('/')) params.delete(key);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) params.delete(k);
    else params.set(k, v);
  }
  return params.toString();
}
