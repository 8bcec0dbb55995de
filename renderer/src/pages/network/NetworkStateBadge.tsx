import { Badge, Tooltip } from '@mantine/core';
import type { OutputOf } from '../../../../shared/api/contract';

type ServiceState = OutputOf<'network.serviceStates'>[number];

const COLORS: Record<ServiceState['state'], string> = { 'in sync': 'teal', pending: 'yellow', failed: 'red', 'not on a router': 'gray' };
const SERVING: Record<ServiceState['serving'], string> = {
  serve: 'served',
  suspend: 'suspended (walled garden)',
  block: 'not served (blocked)',
  none: 'nothing on the network',
};

/** A service's network state beside its billing state: in sync, pending (with why) or failed (with the router's message). */
export function NetworkStateBadge({ state }: { state: ServiceState | undefined }) {
  if (!state) return null;
  // In sync and withheld: say what the router does (the tooltip says it holds it).
  const withheld = state.state === 'in sync' && (state.serving === 'suspend' || state.serving === 'block');
  const label = withheld ? (state.serving === 'suspend' ? 'suspended' : 'blocked') : state.state;
  const tip = [state.state === 'in sync' ? 'In sync' : null, state.routerName ? `${state.routerName}: ${SERVING[state.serving]}` : SERVING[state.serving], state.message].filter(Boolean).join(' — ');
  return (
    <Tooltip label={tip} multiline maw={360}>
      <Badge color={withheld ? 'grape' : COLORS[state.state]} variant="light" radius="sm" data-testid="service-network-state" data-state={state.state}>
        {label}
      </Badge>
    </Tooltip>
  );
}
