import { fail } from '@sveltejs/kit';
import { deskProblem, failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { Lang } from '$lib/i18n';
import { channelParam, isLang, memberNumberOf, typedTemplate, type TypedTemplate } from '$lib/server/templateForm';
import type { Actions, PageServerLoad } from './$types';

/**
 * Message templates (decision 023): every kind × language, and the one chosen with its editor,
 * preview and history; with `channel`, that channel's own text (decision 039).
 */
export const load: PageServerLoad = async ({ fetch, url }) => {
  const kind = url.searchParams.get('kind');
  const language = url.searchParams.get('language');
  const channel = channelParam(url.searchParams.get('channel'));
  try {
    const api = apiClient(fetch);
    const list = await api.messageTemplates();
    const selected = kind && language && isLang(language) && list.items.some((i) => i.kind === kind) ? await api.messageTemplate(kind, language, channel) : null;
    return { list, selected, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { list: null, selected: null, forbidden: true };
    failLoad(e, url);
  }
};

const langOf = (values: TypedTemplate): Lang => (isLang(values.language) ? values.language : 'fi');
const channelOf = (values: TypedTemplate) => (values.channel === 'sms' || values.channel === 'letter' ? values.channel : 'email');

export const actions: Actions = {
  /** The draft rendered for a member; nothing is stored (the API audits the read of the member). */
  preview: async ({ fetch, request, url }) => {
    const values = await typedTemplate(request);
    const memberNumber = memberNumberOf(values);
    if (memberNumber === null) return fail(400, { values, problem: deskProblem(400, 'template_preview_member_number', 'Give a member number.') });
    try {
      const preview = await apiClient(fetch).previewMessageTemplate(values.kind, langOf(values), { memberNumber, channel: channelOf(values), template: { subject: values.subject, body: values.body } });
      return { values, preview };
    } catch (e) {
      return failAction(e, url, { values });
    }
  },
  /** Stores the draft as a version from its date on (audited by the API). */
  save: async ({ fetch, request, url }) => {
    const values = await typedTemplate(request);
    try {
      await apiClient(fetch).saveMessageTemplate(values.kind, langOf(values), { template: { subject: values.subject, body: values.body }, effectiveFrom: values.effectiveFrom, reason: values.reason }, channelParam(values.target));
      return { saved: { kind: values.kind, language: values.language, effectiveFrom: values.effectiveFrom } };
    } catch (e) {
      return failAction(e, url, { values });
    }
  },
  /** Returns the kind in this language to the shipped template (a channel: to the common text) from the date on. */
  reset: async ({ fetch, request, url }) => {
    const values = await typedTemplate(request);
    try {
      await apiClient(fetch).saveMessageTemplate(values.kind, langOf(values), { template: null, effectiveFrom: values.effectiveFrom, reason: values.reason }, channelParam(values.target));
      return { saved: { kind: values.kind, language: values.language, effectiveFrom: values.effectiveFrom } };
    } catch (e) {
      return failAction(e, url, { values });
    }
  },
};
