// The dashboard's REST client: the public API with the bearer token kept in this browser.
// Bearer token for writes (and for reads when auth.openReads is off), kept in this browser only.
export const token = () => window.localStorage.getItem('qkdsat-token') ?? '';
export async function getJson(path, init = {}) {
  const headers = { ...(init.headers ?? {}), ...(token() ? { authorization: `Bearer ${token()}` } : {}) };
  const res = await fetch(path, { ...init, headers });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${path}: ${res.status} ${body.detail ?? ''}`);
  return body;
}

/** Items of a paged list route (`{ items, nextCursor }`), following at most `maxPages` cursors. */
export async function getPaged(path, maxPages = 5) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < maxPages; i += 1) {
    const sep = path.includes('?') ? '&' : '?';
    const page = await getJson(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...(page.items ?? []));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}
