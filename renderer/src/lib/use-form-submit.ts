import type { UseFormReturnType } from '@mantine/form';
import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { type OutputOf, type ProcedureName, contract } from '../../../shared/api/contract';
import { callApi } from '../api/hooks';
import { describeUnplaced, isInputOf, splitApiError, validateWith } from './form-errors';

/**
 * Submitting a form to the API: the contract's schema answers first, in the renderer; whatever the
 * back end still refuses comes back at the fields it names, the rest in one message above the form.
 */
export function useFormSubmit<Values extends Record<string, unknown>>(form: UseFormReturnType<Values>, known: readonly string[]) {
  const [formError, setFormError] = useState<string | null>(null);

  const attempt = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await action();
      } catch (error) {
        const split = splitApiError(error, known);
        form.setErrors(split.fields);
        setFormError(split.message);
        return undefined;
      }
    },
    [form, known],
  );

  /** Sends `input` to `procedure` once the contract's schema accepts it; the answer is typed from the contract. */
  function run<P extends ProcedureName>(procedure: P, input: unknown): Promise<OutputOf<P> | undefined>;
  /** Validates with `schema`, then runs `action` (for a submit that is not one procedure call). */
  function run<T>(schema: z.ZodType, input: unknown, action: () => Promise<T>): Promise<T | undefined>;
  async function run(target: ProcedureName | z.ZodType, input: unknown, action?: () => Promise<unknown>): Promise<unknown> {
    setFormError(null);
    const schema = typeof target === 'string' ? (contract[target].input as z.ZodType) : target;
    const clientErrors = validateWith(schema, input, known);
    if (Object.keys(clientErrors).length > 0) {
      form.setErrors(clientErrors);
      return undefined;
    }
    if (typeof target !== 'string') return action ? attempt(action) : undefined;
    // Refused only on fields this form does not show: say so above the form, as the back end would.
    if (!isInputOf(target, input)) {
      setFormError(describeUnplaced(schema, input));
      return undefined;
    }
    return attempt(() => callApi(target, input));
  }

  return { formError, clearFormError: () => setFormError(null), run };
}

/** Blank inputs mean "not given": the contract then says Required, or applies its default. */
export function blankToUndefined<T>(value: T | '' | null | undefined): T | undefined {
  return value === '' || value === null || value === undefined ? undefined : value;
}
