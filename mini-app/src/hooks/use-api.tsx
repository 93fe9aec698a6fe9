import { createContext, useContext, type ReactNode } from 'react';
import { createApiClient, createEndpoints, resolveApiBase, type Endpoints } from '../services/api.ts';
import { useAppStore } from '../store.ts';

/** The real endpoints, bound to the store's tokens. */
export function createAppEndpoints(): Endpoints {
  const client = createApiClient({
    baseUrl: resolveApiBase(),
    getAccessToken: () => useAppStore.getState().session?.accessToken ?? null,
    getRefreshToken: () => useAppStore.getState().session?.refreshToken ?? null,
    onTokens: (t) => useAppStore.getState().setTokens(t),
    onAuthLost: () => useAppStore.getState().signOut(),
  });
  return createEndpoints(client, { actFor: () => useAppStore.getState().assisted?.householdId });
}

let defaultEndpoints: Endpoints | null = null;
const ApiContext = createContext<Endpoints | null>(null);

/** Tests pass a fake; the app uses the real client. */
export function ApiProvider({ api, children }: { api?: Endpoints; children: ReactNode }) {
  defaultEndpoints ??= api ? null : createAppEndpoints();
  return <ApiContext.Provider value={api ?? defaultEndpoints}>{children}</ApiContext.Provider>;
}

export function useApi(): Endpoints {
  const api = useContext(ApiContext);
  if (!api) {
    defaultEndpoints ??= createAppEndpoints();
    return defaultEndpoints;
  }
  return api;
}
