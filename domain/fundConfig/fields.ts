/**
 * The form of a setting, read from its valibot schema (decision 029): the schema in settings.ts is
 * the one place a setting's shape is written, and the desk renders and reads back its typed form
 * from this description, so a new setting or field needs no form of its own. Everything here is pure.
 */
import { configSettings, type ConfigKey } from './settings';

/** One input (or a group or list of them) of a setting's form. */
export type FieldSpec =
  | { kind: 'integer'; min: number | null; max: number | null; optional: boolean }
  | { kind: 'text'; maxLength: number | null; multiline: boolean; optional: boolean }
  /** A duration such as "14d": a whole number and a unit (s, m, h, d). */
  | { kind: 'duration'; optional: boolean }
  | { kind: 'boolean' }
  | { kind: 'choice'; options: string[]; optional: boolean }
  /** Several of a closed set (checkboxes): an array of a picklist or of small bounded integers. */
  | { kind: 'choices'; options: (string | number)[]; min: number; max: number; optional: boolean }
  | { kind: 'group'; fields: { name: string; spec: FieldSpec }[] }
  /** Repeatable rows of the same group (reminder levels). */
  | { kind: 'rows'; item: FieldSpec; min: number; max: number };

export const durationUnits = ['d', 'h', 'm', 's'] as const;

/** Marks a string schema as a duration ("14d"); the form shows a number and a unit. */
export const DURATION_FIELD = 'duration';

interface Node {
  type: string;
  pipe?: { kind: string; type: string; requirement?: unknown; metadata?: Record<string, unknown> }[];
  entries?: Record<string, Node>;
  item?: Node;
  options?: unknown[];
  wrapped?: Node;
}

function requirement(node: Node, type: string): number | null {
  const action = node.pipe?.find((a) => a.type === type);
  return typeof action?.requirement === 'number' ? action.requirement : null;
}

/** A text longer than this is a textarea. */
const MULTILINE_FROM = 200;
/** An integer list with at most this many values is a set of checkboxes (months of the year). */
const CHECKBOXES_UP_TO = 31;

function describe(node: Node, optional = false): FieldSpec {
  switch (node.type) {
    // A null is "not set", as an omitted value is: an empty input leaves it out (task groups: a kind in no group).
    case 'optional':
    case 'exact_optional':
    case 'nullable':
    case 'nullish':
      return describe(node.wrapped!, true);
    case 'number':
      return { kind: 'integer', min: requirement(node, 'min_value'), max: requirement(node, 'max_value'), optional };
    case 'boolean':
      return { kind: 'boolean' };
    case 'picklist':
      return { kind: 'choice', options: (node.options ?? []).map(String), optional };
    case 'string': {
      if (node.pipe?.some((a) => a.kind === 'metadata' && a.metadata?.field === DURATION_FIELD)) return { kind: 'duration', optional };
      const maxLength = requirement(node, 'max_length');
      return { kind: 'text', maxLength, multiline: (maxLength ?? 0) > MULTILINE_FROM, optional };
    }
    case 'object':
    case 'strict_object':
      return { kind: 'group', fields: Object.entries(node.entries ?? {}).map(([name, child]) => ({ name, spec: describe(child) })) };
    case 'array': {
      const item = describe(node.item!);
      const min = requirement(node, 'min_length') ?? 0;
      const max = requirement(node, 'max_length') ?? 100;
      if (item.kind === 'choice') return { kind: 'choices', options: item.options, min, max, optional };
      if (item.kind === 'integer' && item.min !== null && item.max !== null && item.max - item.min < CHECKBOXES_UP_TO) {
        return { kind: 'choices', options: Array.from({ length: item.max - item.min + 1 }, (_, i) => item.min! + i), min, max, optional };
      }
      return { kind: 'rows', item, min, max };
    }
  }
  throw new Error(`no form field for a ${node.type} schema`);
}

/** The form of one setting, from its schema. */
export function settingFields(key: ConfigKey): FieldSpec {
  return describe(configSettings[key].schema as unknown as Node);
}

/** A form's entries, read the way a browser sends them: every value of a name, in order. */
export interface FormEntries {
  getAll(name: string): string[];
}

const DURATION = /^(\d+)([smhd])$/;

/** A duration value split for its two inputs; anything else is shown as typed with days. */
export function splitDuration(value: unknown): { amount: string; unit: string } {
  const m = typeof value === 'string' ? DURATION.exec(value) : null;
  return m ? { amount: m[1]!, unit: m[2]! } : { amount: typeof value === 'string' ? value : '', unit: 'd' };
}

/**
 * The value a typed form sent, in the setting's shape, for the API to check (it checks everything
 * again: this only turns text into the types the schema reads). `name` is the field's form name
 * (`value`, `value.levels.0.waitDays`); an empty optional field is left out. Rows are read for
 * indexes 0… as long as the form sent the row's marker (`name.N`), so a removed row is gone.
 */
export function readForm(spec: FieldSpec, form: FormEntries, name: string): unknown {
  const one = (n: string) => form.getAll(n)[0] ?? '';
  switch (spec.kind) {
    case 'integer': {
      const text = one(name).trim();
      if (text === '') return spec.optional ? undefined : null;
      // Not a number stays text, so the API names the field (invalid type) rather than the desk guessing.
      return /^-?\d+$/.test(text) ? Number(text) : text;
    }
    case 'text': {
      const text = one(name);
      return text.trim() === '' && spec.optional ? undefined : text;
    }
    case 'duration': {
      const amount = one(name).trim();
      if (amount === '' && spec.optional) return undefined;
      return `${amount}${one(`${name}:unit`) || 'd'}`;
    }
    case 'boolean':
      return form.getAll(name).includes('yes');
    case 'choice': {
      const text = one(name);
      return text === '' && spec.optional ? undefined : text;
    }
    case 'choices': {
      const chosen = form.getAll(name);
      if (chosen.length === 0 && spec.optional) return undefined;
      // In the order the options are listed, whatever order the browser sent them in.
      return spec.options.filter((o) => chosen.includes(String(o)));
    }
    case 'group': {
      const out: Record<string, unknown> = {};
      for (const f of spec.fields) {
        const value = readForm(f.spec, form, name ? `${name}.${f.name}` : f.name);
        if (value !== undefined) out[f.name] = value;
      }
      return out;
    }
    case 'rows': {
      const rows: unknown[] = [];
      const indexes = form
        .getAll(`${name}:row`)
        .map(Number)
        .filter((n) => Number.isInteger(n) && n >= 0);
      for (const i of indexes) rows.push(readForm(spec.item, form, `${name}.${i}`));
      return rows;
    }
  }
}

/** An empty row for a list (its first option, the least integer, no text), for "add a row". */
export function blankOf(spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'integer':
      return spec.min ?? 0;
    case 'text':
      return '';
    case 'duration':
      return '1d';
    case 'boolean':
      return false;
    case 'choice':
      return spec.options[0] ?? '';
    case 'choices':
      return spec.options.slice(0, Math.max(1, spec.min));
    case 'group':
      return Object.fromEntries(spec.fields.map((f) => [f.name, blankOf(f.spec)]));
    case 'rows':
      return [];
  }
}
