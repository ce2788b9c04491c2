/**
 * A hearing's course: 'open' while the member may pay or explain; 'awaiting-decision' once the
 * deadline passed and a caseworker decides; then 'paid' (the overdue amount came in first),
 * 'not-expelled' or 'expelled'.
 */
export const hearingStatuses = ['open', 'awaiting-decision', 'paid', 'not-expelled', 'expelled'] as const;
export type HearingStatus = (typeof hearingStatuses)[number];

/** Hearings still running: a payment is told to their process, and a member has at most one. */
export const runningHearingStatuses: readonly HearingStatus[] = ['open', 'awaiting-decision'];

/**
 * An appeal against an expulsion decision: 'received' until the fund reconsiders; 'corrected'
 * (the fund reinstated the member itself) or 'forwarded' to SAMU with the fund's statement; a
 * forwarded appeal ends 'upheld' or 'overturned' (reinstated) by SAMU's ruling.
 */
export type AppealStatus = 'received' | 'corrected' | 'forwarded' | 'upheld' | 'overturned';

/** Who gave an explanation or an appeal: the member through e-services or case management, or a caseworker recording it. */
export type CaseChannel = 'e-services' | 'case-management' | 'desk';
