/**
 * UI state only (zustand): which page is shown, the language, the order list's filter and selection,
 * and which dialog is open. Everything durable lives in Dexie or in main.
 */
import { create } from 'zustand';
import type { Lang } from '../../shared/domain/index.ts';
import { EMPTY_FILTER, type OrderFilter } from '../features/orders/order-index.ts';

export const PAGES = ['orders', 'batches', 'scan', 'printLog', 'alerts', 'printers', 'today', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export interface UiState {
  lang: Lang;
  page: Page;
  filter: OrderFilter;
  selection: Set<string>;
  /** The row a shift-click extends from. */
  anchor: string | null;
  batchDialog: boolean;
  /** The batch whose details are open on the batches page. */
  openBatchId: number | null;
  reprint: { orderSn: string } | null;
  setLang(lang: Lang): void;
  go(page: Page): void;
  setFilter(patch: Partial<OrderFilter>): void;
  resetFilter(): void;
  select(sns: Iterable<string>, on: boolean, anchor?: string | null): void;
  replaceSelection(sns: Iterable<string>): void;
  clearSelection(): void;
  openBatchDialog(open: boolean): void;
  openBatch(id: number | null): void;
  openReprint(r: { orderSn: string } | null): void;
}

export const useUi = create<UiState>((set) => ({
  lang: 'zh',
  page: 'orders',
  filter: EMPTY_FILTER,
  selection: new Set(),
  anchor: null,
  batchDialog: false,
  openBatchId: null,
  reprint: null,
  setLang: (lang) => set({ lang }),
  go: (page) => set({ page }),
  setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
  resetFilter: () => set({ filter: EMPTY_FILTER }),
  select: (sns, on, anchor) =>
    set((s) => {
      const next = new Set(s.selection);
      for (const sn of sns) {
        if (on) next.add(sn);
        else next.delete(sn);
      }
      return { selection: next, ...(anchor !== undefined ? { anchor } : {}) };
    }),
  replaceSelection: (sns) => set({ selection: new Set(sns) }),
  clearSelection: () => set({ selection: new Set(), anchor: null }),
  openBatchDialog: (open) => set({ batchDialog: open }),
  openBatch: (id) => set({ openBatchId: id, page: id === null ? 'batches' : 'batches' }),
  openReprint: (reprint) => set({ reprint }),
}));
