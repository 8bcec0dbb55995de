import type { z } from 'zod';
import type { planFields } from '../../../shared/api/catalog';

export type PlanShape = z.output<typeof planFields>;

const INTERNET_ONLY = [
  'downloadKbps',
  'uploadKbps',
  'burstDownloadKbps',
  'burstUploadKbps',
  'burstThresholdPercent',
  'burstTimeSeconds',
  'priority',
  'contentionRatio',
  'qosMode',
  'accessTechnology',
] as const satisfies readonly (keyof PlanShape)[];

/** Speeds and QoS belong to Internet plans only: other kinds drop them rather than keep stale values. */
export function normalizePlan(plan: PlanShape): PlanShape {
  if (plan.kind === 'Internet') return plan;
  const cleared = { ...plan };
  for (const key of INTERNET_ONLY) cleared[key] = null;
  return cleared;
}

/**
 * What is wrong with a plan as a whole, by field (empty when nothing is). Burst follows
 * MikroTik's model: a burst rate above the plan's rate, allowed while the average stays under
 * a threshold (percent of the burst rate here), averaged over a burst time.
 */
export function planProblems(plan: PlanShape): Record<string, string> {
  const problems: Record<string, string> = {};
  if (plan.kind !== 'Internet') return problems;
  if (plan.downloadKbps === null) problems.downloadKbps = 'An Internet plan needs a download speed';
  if (plan.uploadKbps === null) problems.uploadKbps = 'An Internet plan needs an upload speed';
  const burst = [plan.burstDownloadKbps, plan.burstUploadKbps, plan.burstThresholdPercent, plan.burstTimeSeconds];
  if (burst.some((v) => v !== null)) {
    if (plan.burstDownloadKbps === null) problems.burstDownloadKbps = 'Burst needs a download rate';
    else if (plan.downloadKbps !== null && plan.burstDownloadKbps <= plan.downloadKbps) problems.burstDownloadKbps = 'Burst download must be above the download speed';
    if (plan.burstUploadKbps === null) problems.burstUploadKbps = 'Burst needs an upload rate';
    else if (plan.uploadKbps !== null && plan.burstUploadKbps <= plan.uploadKbps) problems.burstUploadKbps = 'Burst upload must be above the upload speed';
    if (plan.burstThresholdPercent === null) problems.burstThresholdPercent = 'Burst needs a threshold';
    if (plan.burstTimeSeconds === null) problems.burstTimeSeconds = 'Burst needs a time';
  }
  return problems;
}

export interface PlanUse {
  services: number;
  packageProducts: number;
  scheduledChanges: number;
}

/** Why a plan cannot be deleted, or null when nothing refers to it. */
export function planDeleteRefusal(name: string, use: PlanUse): string | null {
  const parts = [
    use.services > 0 && `${use.services} service${use.services === 1 ? '' : 's'}`,
    use.packageProducts > 0 && `${use.packageProducts} package product${use.packageProducts === 1 ? '' : 's'}`,
    use.scheduledChanges > 0 && `${use.scheduledChanges} scheduled change${use.scheduledChanges === 1 ? '' : 's'}`,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return `${name} is in use by ${parts.join(', ')}; it cannot be deleted, but it can be retired so it is no longer offered.`;
}
