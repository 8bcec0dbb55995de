/**
 * Compatible service (DOMAIN.md): the same plan kind and, for Internet, a compatible access
 * technology: wireless, fiber and DSL are broadband and take each other's plans; dial-up takes only
 * dial-up. A plan without a stated technology is taken as broadband. Plan changes and package moves
 * accept only compatible targets; the refusal names the field at fault.
 */
export interface PlanTraits {
  name: string;
  kind: string;
  accessTechnology: string | null;
}

export type Incompatibility = { field: 'kind' | 'accessTechnology'; reason: string } | null;

const BROADBAND = new Set(['wireless', 'fiber', 'DSL']);

function family(tech: string | null): 'broadband' | 'dial-up' {
  return tech === null || BROADBAND.has(tech) ? 'broadband' : 'dial-up';
}

export function incompatibility(from: PlanTraits, to: PlanTraits): Incompatibility {
  if (from.kind !== to.kind) return { field: 'kind', reason: `${to.name} is a ${to.kind} plan; a ${from.kind} service moves only to a ${from.kind} plan` };
  if (from.kind === 'Internet' && family(from.accessTechnology) !== family(to.accessTechnology)) {
    const mine = from.accessTechnology ?? 'broadband';
    return { field: 'accessTechnology', reason: `${to.name} is a ${to.accessTechnology ?? 'broadband'} plan; a ${mine} service needs a ${family(from.accessTechnology)} plan` };
  }
  return null;
}

export interface Candidate<P> {
  product: P;
  name: string;
  ratingMethod: string;
  plan: PlanTraits;
}

/**
 * The target product a service moves into: among compatible products of the same rating method,
 * one of the same name first, then one of the same plan, then the first not yet taken, in the
 * package's order; a product already taken is reused only when nothing else fits.
 */
export function homeFor<P>(service: { productName: string | null; planName: string; ratingMethod: string; plan: PlanTraits }, candidates: readonly Candidate<P>[], taken: ReadonlySet<P>): Candidate<P> | { refused: string } {
  const fits = candidates.filter((c) => c.ratingMethod === service.ratingMethod && incompatibility(service.plan, c.plan) === null);
  if (fits.length === 0) {
    const sameMethod = candidates.filter((c) => c.ratingMethod === service.ratingMethod);
    const why = sameMethod.map((c) => incompatibility(service.plan, c.plan)?.reason).filter(Boolean);
    return {
      refused: sameMethod.length === 0 ? `the target has no ${service.ratingMethod} product` : `no compatible product in the target (${why.join('; ')})`,
    };
  }
  const name = service.productName?.toLowerCase();
  const free = fits.filter((c) => !taken.has(c.product));
  const pool = free.length > 0 ? free : fits;
  return pool.find((c) => c.name.toLowerCase() === name) ?? pool.find((c) => c.plan.name === service.planName) ?? pool[0]!;
}
