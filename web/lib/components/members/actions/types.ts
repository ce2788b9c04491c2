import type { FieldErrors, FieldId, FormValues } from '$lib/forms/fields';
import type { ProblemCode, Translator } from '$lib/i18n';

/** What each action form gets from the member page: the texts, its last values and field errors. */
export interface ActionFormProps {
  tr: Translator;
  values: FormValues;
  err: (id: FieldId) => string | undefined;
}

/** The last refused submit of an action on one resignation, shown again in its dialog. */
export interface ResignationActionOutcome {
  action: string;
  values?: FormValues | undefined;
  errors?: FieldErrors | undefined;
  problem?: ProblemCode | undefined;
}
