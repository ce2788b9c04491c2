import type { FieldId, FormValues } from '$lib/forms/fields';

/** What the shared field groups need from their form: the values as typed and each field's error. */
export interface FieldGroupProps {
  values: FormValues;
  err: (id: FieldId) => string | undefined;
  /** Prefixes the input ids when one page holds several forms (the desk's member page). */
  idPrefix?: string;
}
