/**
 * Keyboard shortcuts for the main actions, so a worker with a scanner in one hand rarely needs the mouse:
 * Alt+1…8 switch pages, Ctrl+P opens batch print for the selection, F2 goes to the scan field.
 * (Ctrl+A in the order list and Esc in dialogs are handled where they apply.)
 */
import { useEffect } from 'react';
import { PAGES, useUi } from './store.ts';

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState();
      if (e.altKey && /^[1-8]$/.test(e.key)) {
        e.preventDefault();
        ui.go(PAGES[Number(e.key) - 1]!);
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'p') {
        e.preventDefault();
        if (ui.selection.size > 0) ui.openBatchDialog(true);
      } else if (e.key === 'F2') {
        e.preventDefault();
        ui.go('scan');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
