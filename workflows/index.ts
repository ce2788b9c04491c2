export { applicationIntake } from './applicationIntake';
