import { isIP } from 'node:net';

/**
 * What a web page in the operator's own browser may make this server do. Loopback is no
 * boundary against that browser: any page it opens can send requests to 127.0.0.1, and a page on
 * a domain the attacker points at 127.0.0.1 (DNS rebinding) is even same-origin to it. So:
 *
 * - **Host** must be one of the names the server answers to: loopback names, an IP literal (a page
 *   reached by IP is that IP's own origin, rebinding needs a name), or a name in `allowedHosts`.
 *   This is what defeats DNS rebinding.
 * - **Origin**, when a browser sends one, must be the server's own (the Host the request was sent
 *   to) or one in `allowedOrigins`; only those get CORS headers, never with credentials.
 * - A **POST** must be one a page cannot send cross-origin without a preflight: a JSON body, or a
 *   header (`x-graphql-csrf`) no simple request may carry. A plain HTML form (urlencoded,
 *   multipart, text/plain) is refused before anything is parsed. Mutations never run over GET
 *   (Yoga refuses them).
 * - The **WebSocket upgrade** is checked for Host and Origin the same way (a browser always sends
 *   Origin there, and WebSockets are exempt from CORS).
 */
export interface BoundaryConfig {
  /** Full origins (`https://dash.example.com`) that may call from a page of their own. */
  readonly allowedOrigins: readonly string[];
  /** Host names besides loopback names and IP literals; a leading `.` allows subdomains too. */
  readonly allowedHosts: readonly string[];
}

/** A header that only a request that passed a CORS preflight (or a non-browser client) can carry. */
export const CSRF_HEADER = 'x-graphql-csrf';

/** Body types that make a cross-origin POST need a preflight, which only allowed origins pass. */
const PREFLIGHTED_TYPES = new Set([
  'application/json',
  'application/graphql-response+json',
  'application/graphql+json',
]);

export interface BoundaryRequest {
  method?: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type BoundaryDecision =
  | {
      ok: true;
      /** A permitted foreign origin: answer it with CORS headers. */ corsOrigin: string | null;
    }
  | { ok: false; message: string };

/** The decision for an HTTP request, made before any route sees it. */
export function checkHttpRequest(
  request: BoundaryRequest,
  config: BoundaryConfig,
): BoundaryDecision {
  const host = checkHost(request.headers.host, config);
  if (!host.ok) return host;
  const origin = checkOrigin(request.headers.origin, host.host, config);
  if (!origin.ok) return origin;
  if (request.method?.toUpperCase() === 'POST') {
    const type = mediaType(request.headers['content-type']);
    if (!PREFLIGHTED_TYPES.has(type) && header(request.headers[CSRF_HEADER]) === undefined) {
      return refuse(
        `a POST must send its body as application/json (or carry the ${CSRF_HEADER} header), not ${type === '' ? 'no content type' : JSON.stringify(type)}: a web page could send it cross-origin as a plain form`,
      );
    }
  }
  return origin;
}

/** The decision for a WebSocket upgrade request. */
export function checkUpgrade(request: BoundaryRequest, config: BoundaryConfig): BoundaryDecision {
  const host = checkHost(request.headers.host, config);
  if (!host.ok) return host;
  return checkOrigin(request.headers.origin, host.host, config);
}

/** The Yoga CORS options for a request the boundary let through. */
export function corsOptionsFor(decision: BoundaryDecision) {
  if (!decision.ok || decision.corsOrigin === null) return false as const;
  return {
    origin: [decision.corsOrigin],
    credentials: false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'accept', 'authorization', CSRF_HEADER],
  };
}

type HostCheck = { ok: true; host: string } | { ok: false; message: string };

function checkHost(value: string | string[] | undefined, config: BoundaryConfig): HostCheck {
  const host = header(value)?.trim().toLowerCase();
  if (!host) return refuse('the request has no Host header');
  const name = hostName(host);
  if (name !== null && isAnsweredName(name, config)) return { ok: true, host };
  return refuse(
    `Host ${JSON.stringify(host)} is not a name this server answers to (loopback names, IP addresses, and server.json http.allowedHosts): a page on another domain may have been pointed at this server (DNS rebinding)`,
  );
}

function checkOrigin(
  value: string | string[] | undefined,
  host: string,
  config: BoundaryConfig,
): BoundaryDecision {
  const raw = header(value);
  if (raw === undefined) return { ok: true, corsOrigin: null }; // not a browser's cross-origin request
  const origin = raw.trim().toLowerCase().replace(/\/$/, '');
  if (origin === `http://${host}` || origin === `https://${host}`)
    return { ok: true, corsOrigin: null };
  const allowed = config.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, ''));
  if (allowed.includes(origin)) return { ok: true, corsOrigin: origin };
  return refuse(
    `requests from a page at origin ${JSON.stringify(raw)} are not allowed (only the server's own origin, and server.json http.allowedOrigins)`,
  );
}

function isAnsweredName(name: string, config: BoundaryConfig): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) !== 0) return true;
  return config.allowedHosts.some((allowed) => {
    const entry = allowed.toLowerCase();
    return entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry;
  });
}

/** The name part of a Host header (`[::1]:4000` → `::1`, `example.com:80` → `example.com`). */
function hostName(host: string): string | null {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? null : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  const name = colon < 0 ? host : host.slice(0, colon);
  return /^[a-z0-9.-]+$/.test(name) ? name : null;
}

function mediaType(value: string | string[] | undefined): string {
  return (header(value) ?? '').split(';')[0]!.trim().toLowerCase();
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function refuse(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
