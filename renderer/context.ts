import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Workbench } from './controller.js';
import type { AppState } from './state/store.js';

export const WorkbenchContext = createContext<Workbench | null>(null);

export function useWorkbench(): Workbench {
  const w = useContext(WorkbenchContext);
  if (!w) throw new Error('useWorkbench outside <WorkbenchContext>');
  return w;
}

/** A small selector over the app store: the component re-renders only when it changes. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useWorkbench().store, selector);
}
