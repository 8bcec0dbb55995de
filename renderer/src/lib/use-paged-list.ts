import { useState } from 'react';
import type { InputOf, OutputOf, ProcedureName } from '../../../shared/api/contract';
import { useApiQuery } from '../api/hooks';
import { useSettled } from './use-debounced';

export const PAGE_SIZES = [25, 50, 100];

/** The list procedures that answer one page of rows (`pageOf` in the contract). */
export type PagedProcedure = {
  [P in ProcedureName]: OutputOf<P> extends { rows: unknown[]; total: number } ? ('page' extends keyof NonNullable<InputOf<P>> ? P : never) : never;
}[ProcedureName];

/** Everything a list is narrowed by besides the search text and the page. */
export type ListFilters<P extends PagedProcedure> = Omit<NonNullable<InputOf<P>>, 'page' | 'pageSize' | 'query'>;

/**
 * One paged list: what is typed in its search box, settled before the server is asked, and the page
 * shown. Any change of search text or filters goes back to page 1, where the first matches are.
 */
export function usePagedList<P extends PagedProcedure>(procedure: P, filters: ListFilters<P>, initialPageSize = 50) {
  const [text, setText] = useState('');
  const query = useSettled(text.trim(), 250);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);

  const narrowing = JSON.stringify([text, filters]);
  const [shownFor, setShownFor] = useState(narrowing);
  if (narrowing !== shownFor) {
    setShownFor(narrowing);
    setPage(1);
  }

  const input = { ...filters, ...(query ? { query } : {}), page, pageSize } as InputOf<P>;
  const list = useApiQuery(procedure, input, { keepPrevious: true });

  return {
    text,
    setText,
    query,
    list,
    paging: {
      page,
      onPageChange: setPage,
      recordsPerPage: pageSize,
      recordsPerPageOptions: PAGE_SIZES,
      onRecordsPerPageChange: (size: number) => {
        setPageSize(size);
        setPage(1);
      },
      recordsPerPageLabel: 'Rows per page',
    },
  };
}

export type Paging = ReturnType<typeof usePagedList>['paging'];
