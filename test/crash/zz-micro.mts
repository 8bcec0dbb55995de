import { chargesDue } from '../../electron/server/billing/rules/charges';
const money = { currency: 'USD', minorDigits: 2 };
const svc = { id: 1, subscriptionId: 1, accountPackageId: null, planId: 1, description: 'Gold 50/10', quantity: '1', unitPrice: 4500, payPeriodMonths: 1, ratingMethod: 'recurring', startDate: '2024-03-14', endDate: null, discount: null, taxRatePercent: '7.25' } as never;
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  for (let i = 0; i < 50000; i++) chargesDue(svc, 14, { billedThrough: '2026-10-14' as never, oneTimeCharged: false }, '2026-11-14' as never, money);
  console.log('chargesDue', ((performance.now() - t) / 50000) * 1000, 'us');
}
