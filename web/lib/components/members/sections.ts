/**
 * Which of the overview's sections show each recently changed field (`recentlyChanged` in the
 * API's answer). A field no section claims still appears in the page's summary of changes.
 */
export const sectionFields = {
  person: ['name', 'identity-code', 'death', 'non-disclosure'],
  contact: ['contact'],
  address: ['address', 'non-disclosure'],
  memberships: ['membership', 'period', 'resignation'],
} as const satisfies Record<string, readonly string[]>;

export type SectionId = keyof typeof sectionFields;

export function changedSection(section: SectionId, recentlyChanged: readonly string[]): boolean {
  return sectionFields[section].some((field: string) => recentlyChanged.includes(field));
}
