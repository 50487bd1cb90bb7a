/**
 * The one shape of an outcome across modules: a value, or a code from the closed set the use case
 * declares. Code decides and tests assert codes; the French wording of each code lives in the
 * module's `*.outcomes.ts`, once.
 */
export type Result<T, C extends string> = { ok: true; value: T } | { ok: false; code: C };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <C extends string>(code: C): { ok: false; code: C } => ({ ok: false, code });

/** Declares a closed set of codes with their French wording; `keyof` the result is the code type. */
export const outcomes = <C extends string>(wording: Record<C, string>): Readonly<Record<C, string>> => Object.freeze(wording);
