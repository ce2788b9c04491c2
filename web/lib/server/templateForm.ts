import { languages, type Lang } from '$lib/i18n';
import { messageChannels, type MessageChannel } from '../../../domain/fundProfile';

export const isLang = (value: string): value is Lang => (languages as readonly string[]).includes(value);

/** A channel whose own text is edited (decision 039), or undefined for the text every channel uses. */
export const channelParam = (value: string | null): MessageChannel | undefined => (messageChannels as readonly string[]).includes(value ?? '') ? (value as MessageChannel) : undefined;

/** What the administrator typed, handed back with every answer so the form keeps it. */
export interface TypedTemplate {
  kind: string;
  language: string;
  subject: string;
  body: string;
  effectiveFrom: string;
  reason: string;
  memberNumber: string;
  /** The channel of the preview. */
  channel: string;
  /** The channel whose own text is edited; '' for the common text. */
  target: string;
}

export async function typedTemplate(request: Request): Promise<TypedTemplate> {
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? '');
  return {
    kind: text('kind'),
    language: text('language'),
    subject: text('subject'),
    // Browsers send a textarea's line breaks as CRLF; the templates use LF.
    body: text('body').replace(/\r\n?/g, '\n'),
    effectiveFrom: text('effectiveFrom'),
    reason: text('reason'),
    memberNumber: text('memberNumber').trim(),
    channel: text('channel'),
    target: text('target'),
  };
}

/** The member number as the API takes it, or null when it is not one (the desk's own refusal). */
export function memberNumberOf(values: TypedTemplate): number | null {
  return /^\d{1,12}$/.test(values.memberNumber) ? Number(values.memberNumber) : null;
}

