function splitQuery(url: string): [string, string] {
  const i = url.search(/[?#]/);
  return i < 0 ? [url, ""] : [url.slice(0, i), url.slice(i)];
}

/**
 * The URL of one stream (`GET` to resume, `DELETE` to abort) next to the `POST` endpoint:
 * `…/v1/stream` → `…/v1/streams/{id}`; any other endpoint gets `/streams/{id}` appended.
 */
export function defaultStreamUrl(endpoint: string, id: string): string {
  let [path] = splitQuery(endpoint);
  path = path.replace(/\/+$/, "");
  const tail = "/streams/" + encodeURIComponent(id);
  return path.endsWith("/stream") ? path.slice(0, -"/stream".length) + tail : path + tail;
}

/**
 * The WebSocket URL for an endpoint: `http(s)://…/v1/stream` → `ws(s)://…/v1/ws`; a relative
 * URL is resolved against `location` when there is one; a `ws(s)://` URL is kept as it is.
 */
export function toWebSocketUrl(endpoint: string): string {
  let url = endpoint;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    const loc = (globalThis as { location?: { href: string } }).location;
    if (!loc) throw new TypeError(`a relative URL needs a location to resolve against: ${endpoint}`);
    url = new URL(url, loc.href).href;
  }
  if (/^wss?:/i.test(url)) return url;
  const [path, rest] = splitQuery(url.replace(/^http/i, "ws"));
  const trimmed = path.replace(/\/+$/, "");
  return (trimmed.endsWith("/stream") ? trimmed.slice(0, -"/stream".length) + "/ws" : trimmed) + rest;
}
