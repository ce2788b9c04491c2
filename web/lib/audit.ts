import { auditActions } from '../../domain/vocabulary';

/**
 * The audit log's event codes that the desk names in words (`audit.<code>` in web/lib/i18n, every
 * one translated: tests/unit/i18n/codes.test.ts), for the auditor's filter. A code from an older
 * version that is no longer listed is still shown, as it is.
 */
export const auditEvents = auditActions;

export type AuditEvent = (typeof auditEvents)[number];
