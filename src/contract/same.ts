/**
 * A compile-time check that a schema's type and the domain's type are one type. The
 * domain declares the few shapes its pure rules take (it imports no zod); the contract
 * declares the wire schema; `Assert<Same<...>>` fails the build the day the two differ.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Assert<T extends true> = T;
