import { useEffect, useState } from 'preact/hooks';

/** Pages live in the hash (`#/jobs/<id>`), so the server serves one file for every page. */
export type Route =
  | { page: 'overview' }
  | { page: 'jobs' }
  | { page: 'job'; id: string }
  | { page: 'schedules' }
  | { page: 'data' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'jobs' && parts[1]) return { page: 'job', id: parts[1] };
  if (parts[0] === 'jobs') return { page: 'jobs' };
  if (parts[0] === 'schedules') return { page: 'schedules' };
  if (parts[0] === 'data') return { page: 'data' };
  return { page: 'overview' };
}

export const jobHref = (id: string) => `#/jobs/${encodeURIComponent(id)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
