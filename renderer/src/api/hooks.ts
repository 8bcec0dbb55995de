import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf, OutputOf, ProcedureName } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { api } from './index';

type AnyCall = (procedure: ProcedureName, input?: unknown) => Promise<unknown>;

/** Calls a procedure by name; the generic keeps input and output typed from the contract. */
export function callApi<P extends ProcedureName>(procedure: P, input: InputOf<P>): Promise<OutputOf<P>> {
  return (api.call as AnyCall)(procedure, input) as Promise<OutputOf<P>>;
}

/** Query keys are `[procedure, input]`, so invalidating by procedure name reaches every variant. */
export function apiQueryKey<P extends ProcedureName>(procedure: P, input?: InputOf<P>) {
  return input === undefined ? ([procedure] as const) : ([procedure, input] as const);
}

export interface ApiQueryOptions {
  enabled?: boolean;
  /** Keep showing the previous answer while the next one loads (paging, typing a search). */
  keepPrevious?: boolean;
  staleTime?: number;
}

export function useApiQuery<P extends ProcedureName>(procedure: P, input: InputOf<P>, options: ApiQueryOptions = {}) {
  return useQuery<OutputOf<P>, Error>({
    queryKey: [procedure, input ?? null],
    queryFn: () => callApi(procedure, input),
    enabled: options.enabled,
    staleTime: options.staleTime,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  });
}

/**
 * A change through the API. On success every cached answer is marked stale: a subscription's
 * status shows in lists, search, its contact's counts and its history, and refetching only what is
 * on screen is cheap, so being exhaustive beats guessing which answers a change touched.
 */
export function useApiMutation<P extends ProcedureName>(procedure: P) {
  const queryClient = useQueryClient();
  return useMutation<OutputOf<P>, Error, InputOf<P>>({
    mutationFn: (input) => callApi(procedure, input),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

/** Queries are not retried when retrying cannot help (bad input, missing record, no access). */
export function shouldRetry(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && ['validation', 'not_found', 'unauthorized', 'refused', 'unknown_procedure'].includes(error.code)) return false;
  return failureCount < 2;
}
