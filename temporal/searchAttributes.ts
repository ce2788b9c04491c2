/** Custom search attributes: ids and statuses only, never personal data. */
export const searchAttributes = {
  ApplicationId: 'Keyword',
  ApplicationStatus: 'Keyword',
} as const;
