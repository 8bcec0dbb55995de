import { useState } from 'react';
import { ApiError } from '../../../shared/api/errors';

/**
 * The working of a dialog that asks before it acts: busy while the call runs, the back end's refusal
 * kept for the dialog to show where the user looks, closed only when the action succeeded. `failed`
 * is what to say when the failure is not the back end's own words.
 */
export function useConfirmAction(onClose: () => void, failed: string) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      close();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : failed);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, close, run };
}
