import { describe, expect, it } from 'vitest';
import { type PlanShape, normalizePlan, planDeleteRefusal, planProblems } from './plan-rules';

const internet: PlanShape = {
  kind: 'Internet',
  name: 'Wireless 25/5',
  description: null,
  priceCents: 4500,
  payPeriodMonths: 1,
  taxClassId: null,
  active: true,
  downloadKbps: 25_000,
  uploadKbps: 5_000,
  burstDownloadKbps: null,
  burstUploadKbps: null,
  burstThresholdPercent: null,
  burstTimeSeconds: null,
  priority: 5,
  contentionRatio: 20,
  qosMode: 'Simple queue',
  accessTechnology: 'wireless',
};

describe('plan rules', () => {
  it('need speeds on Internet plans and a complete burst above the plan rate', () => {
    expect(planProblems(internet)).toEqual({});
    expect(planProblems({ ...internet, downloadKbps: null })).toEqual({ downloadKbps: 'An Internet plan needs a download speed' });
    expect(planProblems({ ...internet, burstDownloadKbps: 50_000 })).toEqual({
      burstUploadKbps: 'Burst needs an upload rate',
      burstThresholdPercent: 'Burst needs a threshold',
      burstTimeSeconds: 'Burst needs a time',
    });
    expect(planProblems({ ...internet, burstDownloadKbps: 50_000, burstUploadKbps: 5_000, burstThresholdPercent: 75, burstTimeSeconds: 16 })).toEqual({
      burstUploadKbps: 'Burst upload must be above the upload speed',
    });
  });

  it('drop speeds and QoS from plans that are not Internet', () => {
    const voice = normalizePlan({ ...internet, kind: 'Voice' });
    expect(voice).toMatchObject({ kind: 'Voice', downloadKbps: null, qosMode: null, priority: null, priceCents: 4500 });
    expect(planProblems(voice)).toEqual({});
  });

  it('refuse deleting a plan anything refers to, suggesting retirement', () => {
    expect(planDeleteRefusal('W25', { services: 0, packageProducts: 0, scheduledChanges: 0 })).toBeNull();
    expect(planDeleteRefusal('W25', { services: 3, packageProducts: 1, scheduledChanges: 0 })).toBe(
      'W25 is in use by 3 services, 1 package product; it cannot be deleted, but it can be retired so it is no longer offered.',
    );
  });
});
