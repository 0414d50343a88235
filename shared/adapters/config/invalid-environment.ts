/** Thrown at cold start when the environment is incomplete or wrong; names every bad variable. */
export class InvalidEnvironmentError extends Error {
  constructor(issues: string[]) {
    super(`invalid environment: ${issues.join('; ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}
