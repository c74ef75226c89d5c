// Any origin would do: it only gives relative paths something to resolve
// against, so that a different origin afterwards means the value left the site.
const PROBE_ORIGIN = 'http://petlens.invalid';

/**
 * Only same-site paths are allowed as post-sign-in destinations (no open
 * redirects). The value is parsed the way a browser will parse it, not
 * pattern-matched: browsers drop tabs and newlines and read `\` as `/`, so
 * `/\t/evil.example` is `//evil.example` to them. What comes back is the
 * parsed path, query and fragment, never the raw string.
 *
 * The parsed path is checked as well as the origin: parsing removes dot
 * segments, so `/.//evil.example` stays on the site while it is parsed but
 * comes back as the path `//evil.example`, which a browser or the router
 * then reads as another site.
 */
export function safeCallbackUrl(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN || url.pathname.startsWith('//')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
