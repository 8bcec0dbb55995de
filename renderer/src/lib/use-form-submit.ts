import type { UseFormReturnType } from '@mantine/form';
import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { splitApiError, validateWith } from './form-errors';

/**
 * Submitting a form to the API: the contract's schema answers first, in the renderer; whatever the
 * back end still refuses comes back at the fields it names, the rest in one message above the form.
 */
export function useFormSubmit<Values extends Record<string, unknown>>(form: UseFormReturnType<Values>, known: readonly string[]) {
  const [formError, setFormError] = useState<string | null>(null);

  const run = useCallback(
    async <T,>(schema: z.ZodType, input: unknown, action: () => Promise<T>): Promise<T | undefined> => {
      setFormError(null);
      const clientErrors = validateWith(schema, input, known);
      if (Object.keys(clientErrors).length > 0) {
        form.setErrors(clientErrors);
        return undefined;
      }
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

  return { formError, clearFormError: () => setFormError(null), run };
}

/** Blank inputs mean "not given": the contract then says Required, or applies its default. */
export function blankToUndefined<T>(value: T | '' | null | undefined): T | undefined {
  return value === '' || value === null || value === undefined ? undefined : value;
}
