import { Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { InputOf, ProcedureName } from '../../../shared/api/contract';
import { callApi } from '../api/hooks';
import { ConfirmDelete } from './ConfirmDelete';

/** The delete procedures that take just the record's id. */
type DeleteById = { [P in ProcedureName]: InputOf<P> extends { id: number } ? (P extends `${string}.delete` ? P : never) : never }[ProcedureName];

/**
 * "Delete <name>?" for the record picked from a list, then every answer refetched; `children` says
 * when the back end refuses. Open while `record` is set.
 */
export function ConfirmDeleteRecord<R extends { id: number }>({
  procedure,
  record,
  name,
  title,
  onClose,
  children,
}: {
  procedure: DeleteById;
  record: R | null;
  name: (record: R) => string;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  return (
    <ConfirmDelete
      opened={record !== null}
      title={title}
      onClose={onClose}
      onConfirm={async () => {
        if (!record) return;
        await callApi(procedure, { id: record.id } as InputOf<typeof procedure>);
        await queryClient.invalidateQueries();
      }}
    >
      Delete <Text span fw={600}>{record && name(record)}</Text>? {children}
    </ConfirmDelete>
  );
}
