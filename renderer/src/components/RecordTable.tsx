import { DataTable, type DataTableColumn, type DataTablePaginationProps } from 'mantine-datatable';
import { rowKeys } from '../lib/row-keys';
import type { Paging } from '../lib/use-paged-list';
import { LoadError } from './LoadError';

interface Loaded<Data> {
  data: Data | undefined;
  error: Error | null;
  isFetching: boolean;
  refetch: () => unknown;
}

interface TableProps<T> {
  /** What the list holds, for the message when it fails to load ("contacts"). */
  what: string;
  columns: DataTableColumn<T>[];
  noRecordsText: string;
  onRowClick?: (record: T) => void;
  rowAttributes?: (record: T) => Record<string, unknown>;
  /** The field that tells rows apart, when it is not `id`. */
  idAccessor?: keyof T & string;
}

/** A list in the house style, or why it could not be loaded; the records come whole. */
export function RecordTable<T>({ list, ...props }: TableProps<T> & { list: Loaded<T[]> }) {
  return <HouseTable {...props} list={list} records={list.data ?? []} />;
}

/** A list in the house style, one page at a time, with the page controls under it. */
export function PagedTable<T>({ list, paging, ...props }: TableProps<T> & { list: Loaded<{ rows: T[]; total: number }>; paging: Paging }) {
  return <HouseTable {...props} list={list} records={list.data?.rows ?? []} paging={{ ...paging, totalRecords: list.data?.total ?? 0 }} />;
}

function HouseTable<T>({
  what,
  list,
  records,
  paging,
  columns,
  noRecordsText,
  onRowClick,
  rowAttributes,
  idAccessor,
}: TableProps<T> & { list: Loaded<unknown>; records: T[]; paging?: Paging & { totalRecords: number } }) {
  if (list.error && !list.data) return <LoadError what={what} error={list.error} onRetry={() => list.refetch()} />;
  return (
    <DataTable<T>
      withTableBorder
      borderRadius="md"
      highlightOnHover
      striped
      minHeight={200}
      verticalSpacing="xs"
      fetching={list.isFetching}
      records={records}
      {...(idAccessor ? { idAccessor } : {})}
      {...((paging ?? {}) as DataTablePaginationProps)}
      noRecordsText={noRecordsText}
      onRowClick={onRowClick && (({ record }) => onRowClick(record))}
      customRowAttributes={(record) => ({ ...rowKeys(onRowClick && (() => onRowClick(record))), ...rowAttributes?.(record) })}
      columns={columns}
    />
  );
}

/** Row attributes that let a row be reached with Tab, moved from with the arrows and opened with Enter. */
export function openOnEnter(open: () => void) {
  return rowKeys(open);
}
