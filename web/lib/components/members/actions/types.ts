import type { FieldId, FormValues } from '$lib/forms/fields';
import type { Translator } from '$lib/i18n';

/** What each action form gets from the member page: the texts, its last values and field errors. */
export interface ActionFormProps {
  tr: Translator;
  values: FormValues;
  err: (id: FieldId) => string | undefined;
}
