/**
 * A BIC (ISO 9362) as the ISO 20022 schemas pattern it (BICIdentifier, pain.001.001.03):
 * `[A-Z]{6,6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3,3}){0,1}`. Bank and country are letters; the
 * location's first character is not 0 or 1 and its second not O (both mark test and passive
 * BICs); an optional three-character branch follows.
 */
const BIC = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9](?:[A-Z0-9]{3})?$/;

export function isIsoBic(value: string): boolean {
  return BIC.test(value);
}

/** Why `value` is not a BIC, for a TransformError; null when it is one. */
export function bicProblem(value: string): string | null {
  if (isIsoBic(value)) return null;
  if (!/^[A-Z0-9]{8}(?:[A-Z0-9]{3})?$/.test(value)) return `BIC "${value}" must be 8 or 11 capital letters and digits`;
  if (!/^[A-Z]{6}/.test(value)) return `BIC "${value}" must start with 6 letters (bank and country)`;
  return `BIC "${value}" has an invalid location code "${value.slice(6, 8)}" (first character 2–9 or a letter, second not "O")`;
}
