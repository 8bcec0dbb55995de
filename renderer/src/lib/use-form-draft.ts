import type { UseFormReturnType } from '@mantine/form';
import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Typed but unsaved: kept as a draft for this tab, so switching tabs, or leaving a half-filled form
 * to create a contact, loses nothing. The draft comes back when the form opens again, says so, and
 * goes when the form is saved or the draft discarded. Closing the window with a draft asks first.
 */
export function useFormDraft<Values extends Record<string, unknown>>(form: UseFormReturnType<Values>, key: string) {
  const storageKey = `towerline.draft.${key}`;
  const [restored, setRestored] = useState(false);
  const loaded = useRef(false);

  useEffect(() => {
    if (loaded.current) return;
    loaded.current = true;
    const draft = readDraft<Values>(storageKey);
    if (draft) {
      form.setValues(draft);
      setRestored(true);
    }
  }, [form, storageKey]);

  const dirty = form.isDirty();
  const values = form.values;
  useEffect(() => {
    if (!loaded.current) return;
    if (dirty) writeDraft(storageKey, values);
    else removeDraft(storageKey);
  }, [dirty, values, storageKey]);

  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  /** After a save: nothing left to keep. */
  const clear = useCallback(() => {
    removeDraft(storageKey);
    setRestored(false);
  }, [storageKey]);

  /** Back to what was saved. */
  const discard = useCallback(() => {
    removeDraft(storageKey);
    setRestored(false);
    form.reset();
  }, [form, storageKey]);

  return { restored, clear, discard };
}

function readDraft<T>(key: string): T | null {
  try {
    const text = window.sessionStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function writeDraft(key: string, values: unknown): void {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(values));
  } catch {
    // No storage (private mode, full): the form still works, only the draft is not kept.
  }
}

function removeDraft(key: string): void {
  try {
    window.sessionStorage.removeItem(key);
  } catch {
    // As above.
  }
}
