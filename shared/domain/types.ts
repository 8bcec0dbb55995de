/** Branded primitives: the type says what a value is, not just its representation. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A calendar date, `YYYY-MM-DD`, with no time zone. */
export type IsoDate = Brand<string, 'IsoDate'>;
/** An instant, ISO 8601 in UTC (`2026-11-23T09:00:00.000Z`). */
export type IsoDateTime = Brand<string, 'IsoDateTime'>;

export type StaffId = Brand<number, 'StaffId'>;
export type ContactId = Brand<number, 'ContactId'>;
export type OrganizationId = Brand<number, 'OrganizationId'>;
export type SubscriptionId = Brand<number, 'SubscriptionId'>;
/** The subscriber-facing identifier, `S-000123`: generated, never reused. */
export type UniqueId = Brand<string, 'UniqueId'>;
