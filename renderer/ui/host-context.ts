/** React access to the HostClient and the UI store (one instance per page, via context). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { HostClient } from '../state/host-client';
import type { UiState } from '../state/store';

export const HostContext = createContext<HostClient | null>(null);

export function useHost(): HostClient {
  const client = useContext(HostContext);
  if (!client) throw new Error('useHost: no HostContext.Provider above this component');
  return client;
}

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(useHost().store, selector);
}
