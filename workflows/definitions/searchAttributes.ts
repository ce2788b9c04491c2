import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Ids and statuses only: search attributes are visible to every Temporal UI user. */
export const applicationIdKey = defineSearchAttributeKey('ApplicationId', SearchAttributeType.KEYWORD);
export const applicationStatusKey = defineSearchAttributeKey('ApplicationStatus', SearchAttributeType.KEYWORD);
