import { fail } from '@sveltejs/kit';
import type { BodyInput, InvalidParam, routes } from '$contract';
import { deskProblem, failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import { readForm, settingFields, type FieldSpec } from '../../../../../domain/fundConfig/fields';
import { configKeys, isConfigKey } from '../../../../../domain/fundConfig/settings';
import type { Actions, PageServerLoad } from './$types';

/** Each setting's typed form, read from its schema (decision 029): the page renders it, the actions read it back. */
const fields = Object.fromEntries(configKeys.map((key) => [key, settingFields(key)])) as Record<string, FieldSpec>;

/** The fund's settings (decisions 021, 029): shipped value, value in force, scheduled changes, history and a typed form each, for administrators. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    const config = await apiClient(fetch).fundConfig();
    return { config, fields, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { config: null, fields, forbidden: true };
    failLoad(e, url);
  }
};

/** A refused field as the form shows it: the API's code and params, by the field's form name (`value.levels.0.waitDays`). */
export type FieldErrors = Record<string, { code: string; params: Record<string, string | number> }>;

function fieldErrors(params: readonly InvalidParam[]): FieldErrors {
  const out: FieldErrors = {};
  for (const p of params) if (p.code && !out[p.name]) out[p.name] = { code: p.code, params: p.params ?? {} };
  return out;
}

/**
 * What the administrator sent, handed back with every answer so the form keeps it: the typed form
 * (`mode` form, its value read back as `draft`) or the raw JSON (`mode` json, the text as `value`).
 */
interface Typed {
  key: string;
  mode: 'form' | 'json';
  draft: unknown;
  value: string;
  effectiveFrom: string;
  reason: string;
}

type Read = { ok: true; values: Typed; value: unknown } | { ok: false; values: Typed };

async function typed(request: Request): Promise<Read> {
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? '');
  const key = text('key');
  const base = { key, value: text('value'), effectiveFrom: text('effectiveFrom'), reason: text('reason') };
  if (text('mode') === 'form' && isConfigKey(key)) {
    const draft = readForm(fields[key]!, { getAll: (name) => form.getAll(name).map(String) }, 'value');
    return { ok: true, values: { ...base, mode: 'form', draft }, value: draft };
  }
  const values: Typed = { ...base, mode: 'json', draft: null };
  try {
    return { ok: true, values, value: JSON.parse(base.value) as unknown };
  } catch {
    return { ok: false, values };
  }
}

const notJson = (values: Typed) => fail(400, { values, problem: deskProblem(400, 'config_json_invalid', 'The value is not JSON.') });

/** An API refusal with its field errors beside the alert. */
function refused(e: unknown, url: URL, extra: Record<string, unknown>) {
  return failAction(e, url, { ...extra, errors: isApiError(e) ? fieldErrors(e.invalidParams) : {} });
}

type ImportDocument = BodyInput<typeof routes.importFundConfig>;

/** The uploaded (or carried over) document, parsed; not JSON or not an object is the desk's own refusal. */
function documentOf(text: string): ImportDocument | null {
  try {
    const doc = JSON.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as ImportDocument) : null;
  } catch {
    return null;
  }
}

const notADocument = () => fail(400, { importProblem: true, problem: deskProblem(400, 'config_import_json_invalid', 'The file is not a JSON document.') });

export const actions: Actions = {
  /** What the value would change on its date; nothing is stored. */
  preview: async ({ fetch, request, url }) => {
    const read = await typed(request);
    if (!read.ok) return notJson(read.values);
    const { values } = read;
    try {
      const preview = await apiClient(fetch).previewFundConfig(values.key, { value: read.value, effectiveFrom: values.effectiveFrom });
      return { values, preview };
    } catch (e) {
      return refused(e, url, { values });
    }
  },
  /** Stores the value from its date on (audited by the API). */
  set: async ({ fetch, request, url }) => {
    const read = await typed(request);
    if (!read.ok) return notJson(read.values);
    const { values } = read;
    try {
      await apiClient(fetch).setFundConfig(values.key, { value: read.value, effectiveFrom: values.effectiveFrom, reason: values.reason });
      return { saved: { key: values.key, effectiveFrom: values.effectiveFrom } };
    } catch (e) {
      return refused(e, url, { values });
    }
  },
  /** Returns the setting to the shipped value from the date on (a stored `null`). */
  reset: async ({ fetch, request, url }) => {
    const { values } = await typed(request);
    try {
      await apiClient(fetch).setFundConfig(values.key, { value: null, effectiveFrom: values.effectiveFrom, reason: values.reason });
      return { saved: { key: values.key, effectiveFrom: values.effectiveFrom } };
    } catch (e) {
      return refused(e, url, { values });
    }
  },
  /** An uploaded export, checked by the API as an import would be, and shown for confirmation; nothing is stored. */
  importPreview: async ({ fetch, request, url }) => {
    const file = (await request.formData()).get('document');
    const text = file instanceof File ? await file.text() : '';
    const doc = documentOf(text);
    if (!doc) return notADocument();
    try {
      const importPreview = await apiClient(fetch).previewFundConfigImport(doc);
      return { importPreview, document: JSON.stringify(doc) };
    } catch (e) {
      return failAction(e, url, { importProblem: true });
    }
  },
  /** The confirmed document, imported whole (audited by the API). */
  import: async ({ fetch, request, url }) => {
    const data = await request.formData();
    const doc = documentOf(String(data.get('document') ?? ''));
    if (!doc) return notADocument();
    // The preview's plan: the API refuses the import if what it would store has changed since.
    const plan = String(data.get('plan') ?? '') || undefined;
    try {
      const imported = await apiClient(fetch).importFundConfig(doc, plan);
      return { imported };
    } catch (e) {
      return failAction(e, url, { importProblem: true });
    }
  },
};
