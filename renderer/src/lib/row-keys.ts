import type { KeyboardEvent } from 'react';

/** Rows PageUp/PageDown move by: about what a list shows at once. */
export const PAGE_STEP = 10;

/**
 * Where a key moves the focused row of a list, or null when the key is not a move. Clamped to the
 * list: the last row stays put on Down, as in a file manager, rather than wrapping to the top.
 */
export function nextRowIndex(key: string, current: number, count: number, pageStep = PAGE_STEP): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const clamp = (i: number) => Math.min(last, Math.max(0, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(current + 1);
    case 'ArrowUp':
      return clamp(current - 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'PageDown':
      return clamp(current + pageStep);
    case 'PageUp':
      return clamp(current - pageStep);
    default:
      return null;
  }
}

const ROW = 'tr[data-row-nav]';

/**
 * Row attributes for every main list: Tab reaches a row, Up/Down/Home/End/PageUp/PageDown move
 * between rows, Enter opens the row like a click. Keys typed in a control inside the row (a menu
 * button) are left to that control.
 */
export function rowKeys(open?: () => void) {
  return {
    tabIndex: 0,
    'data-row-nav': '',
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      if (event.target !== event.currentTarget) return;
      if (event.key === 'Enter') {
        if (open) {
          event.preventDefault();
          open();
        }
        return;
      }
      const rows = Array.from(event.currentTarget.parentElement?.querySelectorAll<HTMLElement>(`:scope > ${ROW}`) ?? []);
      const next = nextRowIndex(event.key, rows.indexOf(event.currentTarget), rows.length);
      if (next === null) return;
      event.preventDefault();
      rows[next]?.focus();
    },
  };
}

/** Down in a list's search box goes to the first row, so a search ends in the list, not the mouse. */
export function focusFirstRowOnArrowDown(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'ArrowDown') return;
  const first = document.querySelector<HTMLElement>(ROW);
  if (!first) return;
  event.preventDefault();
  first.focus();
}
