import { Badge, Group, Modal, Paper, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowsExchange, IconFileCertificate } from '@tabler/icons-react';
import { useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { formatDate, formatDateTime } from '../../lib/format';
import { useMoney } from '../../lib/money';
import { PreviewView } from './tabs/MoveWizard';

type Move = OutputOf<'packageMoves.list'>[number];

/** On the Summary: the contracts that bind (term end, the fee ending today would charge) and the package moves with their figures. */
export function ContractsAndMoves({ subscriptionId }: { subscriptionId: number }) {
  const contracts = useApiQuery('contracts.ofSubscription', { subscriptionId });
  const moves = useApiQuery('packageMoves.list', { subscriptionId });
  const { money } = useMoney();
  const [shown, setShown] = useState<Move | null>(null);
  const $ = (c: number) => (money ? money.format(c) : String(c));
  if (contracts.error || moves.error) return <LoadError what="contracts and moves" error={contracts.error ?? moves.error} onRetry={() => { void contracts.refetch(); void moves.refetch(); }} />;
  return (
    <>
      <Paper withBorder radius="md" p="md" data-testid="summary-contracts">
        <Group gap="xs" mb="sm">
          <IconFileCertificate size={18} />
          <Text fw={600}>Contracts</Text>
        </Group>
        {(contracts.data ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">No contract: the subscriber may leave at any time.</Text>
        ) : (
          <Table verticalSpacing="xs" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Contract</Table.Th>
                <Table.Th>Package</Table.Th>
                <Table.Th>Term</Table.Th>
                <Table.Th ta="right">Fee if ended today</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(contracts.data ?? []).map((c) => (
                <Table.Tr key={c.accountPackageId} data-testid="summary-contract">
                  <Table.Td>{c.contractName}</Table.Td>
                  <Table.Td>{c.packageName}</Table.Td>
                  <Table.Td className="tabular">from {formatDate(c.startDate)}, free from {formatDate(c.termEndDate)}</Table.Td>
                  <Table.Td ta="right" className="tabular">
                    {c.decided ? `${c.decided.waivedReason ? `waived (${c.decided.waivedReason})` : `charged ${$(c.decided.feeCents)}`} on ${formatDate(c.decided.decidedOn)}` : $(c.feeTodayCents)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder radius="md" p="md" data-testid="summary-moves">
        <Group gap="xs" mb="sm">
          <IconArrowsExchange size={18} />
          <Text fw={600}>Package moves</Text>
        </Group>
        {(moves.data ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">No upgrades or downgrades yet.</Text>
        ) : (
          <Table verticalSpacing="xs" fz="sm" highlightOnHover>
            <Table.Tbody>
              {(moves.data ?? []).map((m) => (
                <Table.Tr key={m.id} data-testid="summary-move">
                  <Table.Td>
                    <UnstyledButton onClick={() => setShown(m)} aria-label={`Figures of the move to ${m.targetPackageName}`}>
                      <Text size="sm" fw={500}>{m.sourcePackageName} → {m.targetPackageName}</Text>
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td className="tabular">from {formatDate(m.billStartDate)}</Table.Td>
                  <Table.Td><Badge variant="light" color={m.state === 'applied' ? 'green' : m.state === 'scheduled' ? 'blue' : 'gray'}>{m.state}</Badge></Table.Td>
                  <Table.Td ta="right" className="tabular">net {$(m.netCents)}</Table.Td>
                  <Table.Td c="dimmed">confirmed by {m.createdBy}, {formatDateTime(m.createdAt)}{m.outcome ? `; ${m.outcome}` : ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {shown && (
        <Modal opened onClose={() => setShown(null)} size="xl" title={`${shown.sourcePackageName} → ${shown.targetPackageName}: the figures confirmed`} centered>
          <Stack>
            <PreviewView preview={shown.figures} format={$} />
          </Stack>
        </Modal>
      )}
    </>
  );
}
