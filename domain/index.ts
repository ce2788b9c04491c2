export * from './dates';
export * from './localized';
export * from './identityCode';
export * from './identityCodeIssue';
export * from './duration';
export * from './template';
export * from './fundProfile';
export * from './application';
