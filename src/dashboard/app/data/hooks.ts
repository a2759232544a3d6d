import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './client';

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}

export interface QueryState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/** Runs a query when `key` changes (and on `reload`); keeps the last data while reloading. */
export function useQuery<T>(
  query: string,
  variables: Record<string, unknown>,
  key: string = JSON.stringify(variables),
): QueryState<T> {
  const api = useApi();
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const vars = useRef(variables);
  vars.current = variables;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api.request<T>(query, vars.current).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: Error) => live && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [api, query, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** Whether the socket is up, for the header's live indicator. */
export function useConnected(): boolean {
  const api = useApi();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    api.listeners.add(setConnected);
    return () => void api.listeners.delete(setConnected);
  }, [api]);
  return connected;
}
