import { useState } from 'preact/hooks';
import { useConnected, useQuery } from './data/hooks';
import { API_FIELDS } from './data/queries';
import { readToken, writeToken } from './data/token';
import { DataPage } from './pages/data';
import { JobPage } from './pages/job';
import { JobsPage } from './pages/jobs';
import { OverviewPage } from './pages/overview';
import { SchedulesPage } from './pages/schedules';
import { useRoute } from './router';

interface ApiFields {
  query: { fields: { name: string }[] } | null;
  mutation: { fields: { name: string }[] } | null;
}

export function App({ onToken }: { onToken: () => void }) {
  const route = useRoute();
  // A new token reloads every page's data: the pages are mounted anew under another key.
  const [generation, setGeneration] = useState(0);
  const connected = useConnected();
  const fields = useQuery<ApiFields>(API_FIELDS, {});
  const names = new Set(
    [...(fields.data?.query?.fields ?? []), ...(fields.data?.mutation?.fields ?? [])].map(
      (f) => f.name,
    ),
  );
  const has = (field: string) => names.has(field);
  const needsToken =
    fields.error &&
    'status' in fields.error &&
    (fields.error.status === 401 || fields.error.status === 403);
  const nav = [
    ['overview', '#/', 'Overview'],
    ['jobs', '#/jobs', 'Jobs'],
    ['schedules', '#/schedules', 'Schedules'],
    ['data', '#/data', 'Data'],
  ] as const;
  const current = route.page === 'job' ? 'jobs' : route.page;
  return (
    <>
      <header>
        <strong>finance-data-api</strong>
        <nav>
          {nav.map(([page, href, label]) => (
            <a key={page} href={href} class={current === page ? 'current' : ''}>
              {label}
            </a>
          ))}
          <a href="/graphql">GraphiQL</a>
        </nav>
        <TokenField
          onToken={() => {
            onToken();
            fields.reload();
            setGeneration((g) => g + 1);
          }}
          highlight={!!needsToken}
        />
        <span
          class={`live ${connected ? 'on' : ''}`}
          title={connected ? 'live updates connected' : 'live updates not connected'}
        >
          ●
        </span>
      </header>
      <main key={generation}>
        {needsToken && (
          <p class="error-note">
            This server needs an API token: paste one above ({fields.error?.message}).
          </p>
        )}
        {route.page === 'overview' && <OverviewPage />}
        {route.page === 'jobs' && <JobsPage />}
        {route.page === 'job' && <JobPage id={route.id} key={route.id} />}
        {route.page === 'schedules' && <SchedulesPage has={has} />}
        {route.page === 'data' && <DataPage has={has} />}
      </main>
    </>
  );
}

/** As GraphiQL has: a token for this tab only (sessionStorage, see data/token.ts). */
function TokenField({ onToken, highlight }: { onToken: () => void; highlight: boolean }) {
  const [value, setValue] = useState(readToken);
  return (
    <form
      class={`token ${highlight ? 'wanted' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        writeToken(value.trim());
        onToken();
      }}
    >
      <input
        type="password"
        name="token"
        autocomplete="off"
        placeholder="API token (this tab only)"
        value={value}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      />
      <button type="submit">use</button>
    </form>
  );
}
