/** The join form's fields in page order; the server action reads them and the error summary follows it. */
export const joinFieldNames = [
  'idempotencyKey',
  'identityCode',
  'firstNames',
  'lastName',
  'language',
  'email',
  'phone',
  'street',
  'postalCode',
  'city',
  'employmentStatus',
  'employer',
  'startedOn',
  'entrepreneurSince',
  'eligibilityBasis',
  'degree',
  'occupation',
  'unionCode',
  'requestedStartDate',
  'previousFundName',
  'resignationAuthorisation',
] as const;

/** The fields a person fills in (the idempotency key is hidden). */
export const joinFormOrder = joinFieldNames.filter((name) => name !== 'idempotencyKey');
