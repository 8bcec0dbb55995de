/**
 * Pure rules about subscriber services (DOMAIN.md, "Subscriber service"): tested without a database.
 */

export interface ProfileQuestionRule {
  id: number;
  label: string;
  kind: 'text' | 'number' | 'choice';
  choices: string[];
  required: boolean;
}

/**
 * Checks answers against a package's profile questions. Returns the answers to store (blank
 * answers dropped, numbers normalized) or field errors keyed `profileAnswers.<questionId>`.
 */
export function checkProfileAnswers(
  questions: readonly ProfileQuestionRule[],
  answers: readonly { questionId: number; answer: string }[],
): { ok: true; answers: { questionId: number; answer: string }[] } | { ok: false; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const byId = new Map(questions.map((q) => [q.id, q]));
  const given = new Map<number, string>();
  for (const a of answers) {
    if (!byId.has(a.questionId)) fields[`profileAnswers.${a.questionId}`] = 'Not a question of this service\'s package';
    else given.set(a.questionId, a.answer.trim());
  }
  const out: { questionId: number; answer: string }[] = [];
  for (const q of questions) {
    const answer = given.get(q.id) ?? '';
    const key = `profileAnswers.${q.id}`;
    if (answer === '') {
      if (q.required) fields[key] = `${q.label} is required`;
      continue;
    }
    if (q.kind === 'number') {
      if (!/^-?\d+(\.\d+)?$/.test(answer)) {
        fields[key] = `${q.label} must be a number`;
        continue;
      }
    } else if (q.kind === 'choice' && !q.choices.includes(answer)) {
      fields[key] = `${q.label} must be one of: ${q.choices.join(', ')}`;
      continue;
    }
    out.push({ questionId: q.id, answer });
  }
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, answers: out };
}

/** The price that applies: the service's own when staff set one, else the plan's (which it then follows). */
export function effectivePrice(servicePriceCents: number | null, planPriceCents: number): { priceCents: number; overridden: boolean } {
  return servicePriceCents === null ? { priceCents: planPriceCents, overridden: false } : { priceCents: servicePriceCents, overridden: true };
}

/** The service's own password, else the subscription's; says which, so the form can show it. */
export function passwordThatApplies(own: string | null, subscriptions: string | null): { password: string | null; source: 'service' | 'subscription' | null } {
  if (own) return { password: own, source: 'service' };
  if (subscriptions) return { password: subscriptions, source: 'subscription' };
  return { password: null, source: null };
}

/** Date fields that must not run backwards; returns field errors. Dates are ISO text, so they compare as strings. */
export function dateProblems(s: { startDate: string; endDate: string | null; discountPercent: string | null; discountStart: string | null; discountEnd: string | null }): Record<string, string> {
  const problems: Record<string, string> = {};
  if (s.endDate !== null && s.endDate < s.startDate) problems.endDate = 'The end date comes before the start date';
  if (s.discountPercent !== null) {
    if (s.discountStart === null) problems.discountStart = 'A discount needs a start date';
    else if (s.discountEnd !== null && s.discountEnd < s.discountStart) problems.discountEnd = 'The discount ends before it starts';
  }
  return problems;
}

export type ServiceStatus = 'Active' | 'Disabled' | 'Stopped' | 'Pending' | 'Archived';

/**
 * What a subscription's status change does to one of its services (DOMAIN.md, "Inactive"):
 * going Inactive stops the Active ones and marks them; going Active again restores exactly the
 * marked ones, not services staff stopped by hand. Null: leave the service alone.
 */
export function serviceStatusOnSubscriptionChange(
  service: { status: ServiceStatus; stoppedBySubscription: boolean },
  from: string,
  to: string,
): { status: ServiceStatus; stoppedBySubscription: boolean } | null {
  if (to === 'Inactive' && from !== 'Inactive' && service.status === 'Active') return { status: 'Stopped', stoppedBySubscription: true };
  if (to === 'Active' && service.status === 'Stopped' && service.stoppedBySubscription) return { status: 'Active', stoppedBySubscription: false };
  return null;
}
