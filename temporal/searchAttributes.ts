import { registerSearchAttributeKeys } from '../workflows/definitions/searchAttributes';

/** The CLI's spelling of each search attribute type (`temporal operator search-attribute create --type`). */
const cliType = { KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' } as const;

/** Custom search attributes by name and CLI type, from the one shared list: ids and statuses only, never personal data. */
export const searchAttributes: Record<string, string> = Object.fromEntries(registerSearchAttributeKeys.map((key) => [key.name, cliType[key.type]]));
