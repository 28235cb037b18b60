/**
 * The alert timer's schedule, in a module that imports nothing: the Functions host reads it when the app registers
 * its functions, at every cold start, so it must not pull in zod, the matrix or an SDK (see bench/coldStart.ts).
 */
export const DEFAULT_ALERT_SCHEDULE = '0 */1 * * * *';

const SCHEDULE = /^(?:\S+ ){5}\S+$|^\d{2}:\d{2}:\d{2}$/;

/**
 * The timer's schedule from ALERT_SCHEDULE. It is read when the app registers its functions, where throwing would
 * take every other function down with it: an invalid value falls back to the default, and the problem is returned
 * so that each run can warn about it.
 */
export function alertSchedule(env: Record<string, string | undefined>): { schedule: string; problem: string | null } {
  const value = env.ALERT_SCHEDULE?.trim();
  if (!value) return { schedule: DEFAULT_ALERT_SCHEDULE, problem: null };
  if (SCHEDULE.test(value) && /^[0-9*/,\-A-Za-z: ]+$/.test(value)) return { schedule: value, problem: null };
  return {
    schedule: DEFAULT_ALERT_SCHEDULE,
    problem: `ALERT_SCHEDULE is not a six-field NCRONTAB expression (e.g. "${DEFAULT_ALERT_SCHEDULE}"); using the default`,
  };
}
