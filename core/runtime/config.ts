import { z } from 'zod';
import { DEFAULT_EDITION_ID, getEdition, UnknownEditionError, type ResolvedEdition } from '../matrix/editions/index.js';
import { DEFAULT_RETENTION_DAYS, FINDINGS_TABLE } from '../store/index.js';

/** The full sweep's period by default (SWEEP_FULL_EVERY_HOURS): a day, like the default maximum age of an evaluation. */
export const DEFAULT_FULL_SWEEP_EVERY_HOURS = 24;

/**
 * Where the findings table (and the sweep queue, core/queue) live: a connection string (Azurite, keys) or service
 * URIs reached with a managed identity. Without a queue URI the sweep re-evaluates inline.
 */
export type StorageSetting = { kind: 'connectionString'; connectionString: string } | { kind: 'identity'; tableServiceUri: string; queueServiceUri?: string };

export interface Settings {
  storage: StorageSetting;
  findingsTable: string;
  edition: ResolvedEdition;
  /** ARM's endpoint: public cloud by default; a sovereign cloud's (`https://management.usgovcloudapi.net`) by setting. */
  armEndpoint: string;
  sweep: {
    /** Empty: every subscription the identity can read. */
    subscriptions: string[];
    maxAgeMs: number;
    timeBudgetMs: number;
    /** A full sweep at least this often (incremental ones in between); unset: DEFAULT_FULL_SWEEP_EVERY_HOURS. */
    fullEveryMs?: number;
  };
  /** Days resolved findings, settled alert intents and deleted VMs are kept; unset: DEFAULT_RETENTION_DAYS. */
  retentionDays?: number;
  /**
   * Events for one VM within this window become one evaluation, made after it (core/events/coalesce.ts). 0, or
   * unset (services built by hand: the CLI, tests), evaluates each event inline, as no queue worker runs there.
   */
  coalesceWindowMs?: number;
}

/** EVENT_COALESCE_SECONDS when the setting is absent. */
export const DEFAULT_COALESCE_SECONDS = 30;

const environment = z.object({
  FINDINGS_STORAGE: z.string().min(1).optional(),
  FINDINGS_STORAGE__tableServiceUri: z.url({ protocol: /^https?$/ }).optional(),
  FINDINGS_STORAGE__queueServiceUri: z.url({ protocol: /^https?$/ }).optional(),
  FINDINGS_TABLE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be 3-63 letters and digits, starting with a letter')
    .optional(),
  MATRIX_EDITION: z.string().min(1).optional(),
  ARM_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  SWEEP_SUBSCRIPTIONS: z
    .string()
    .regex(/^\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*(,\s*|$))*$/i, 'must be subscription ids separated by commas')
    .optional(),
  SWEEP_MAX_AGE_HOURS: z.coerce.number().positive('must be a positive number of hours').optional(),
  SWEEP_TIME_BUDGET_MINUTES: z.coerce.number().positive('must be a positive number of minutes').optional(),
  SWEEP_FULL_EVERY_HOURS: z.coerce.number().positive('must be a positive number of hours').optional(),
  RETENTION_DAYS: z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1 day').optional(),
  // A queue message may be hidden at most 7 days; minutes would only delay findings.
  EVENT_COALESCE_SECONDS: z.coerce.number().int('must be a whole number of seconds').min(0).max(600, 'must be at most 600 seconds').optional(),
});

/**
 * Every app setting the functions read, in one list: the deployment template must set each of them (a test checks).
 * The Functions host's own (`AzureWebJobsStorage*`, `FUNCTIONS_*`) and the alert settings (core/alerts) are
 * listed where they are read.
 */
export const APP_SETTINGS: readonly string[] = [...Object.keys(environment.shape), 'SWEEP_SCHEDULE', 'RETENTION_SCHEDULE'];

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`invalid settings: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Environment → typed settings, in one place; every problem is reported at once, naming the setting. */
export function loadSettings(env: Record<string, string | undefined>): Settings {
  const parsed = environment.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`);
  const values = parsed.success ? parsed.data : {};
  let storage: StorageSetting | null = null;
  if (values.FINDINGS_STORAGE) storage = { kind: 'connectionString', connectionString: values.FINDINGS_STORAGE };
  else if (values.FINDINGS_STORAGE__tableServiceUri) {
    const queue = values.FINDINGS_STORAGE__queueServiceUri;
    storage = { kind: 'identity', tableServiceUri: values.FINDINGS_STORAGE__tableServiceUri, ...(queue ? { queueServiceUri: queue } : {}) };
  } else if (parsed.success) problems.push('FINDINGS_STORAGE (a connection string) or FINDINGS_STORAGE__tableServiceUri (managed identity) must be set');
  let edition: ResolvedEdition | null = null;
  try {
    // Checked even when another setting is invalid, so that every problem is reported at once.
    edition = getEdition(values.MATRIX_EDITION ?? env.MATRIX_EDITION ?? DEFAULT_EDITION_ID);
  } catch (error) {
    if (!(error instanceof UnknownEditionError)) throw error;
    problems.push(`MATRIX_EDITION: ${error.message}`);
  }
  if (problems.length > 0 || storage === null || edition === null) throw new ConfigError(problems);
  return {
    storage,
    findingsTable: values.FINDINGS_TABLE ?? FINDINGS_TABLE,
    edition,
    armEndpoint: (values.ARM_ENDPOINT ?? 'https://management.azure.com').replace(/\/$/, ''),
    sweep: {
      subscriptions: (values.SWEEP_SUBSCRIPTIONS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      maxAgeMs: (values.SWEEP_MAX_AGE_HOURS ?? 24) * 3_600_000,
      // Consumption plans stop a function after 5 minutes by default (10 at most): keep a margin.
      timeBudgetMs: (values.SWEEP_TIME_BUDGET_MINUTES ?? 4) * 60_000,
      fullEveryMs: (values.SWEEP_FULL_EVERY_HOURS ?? DEFAULT_FULL_SWEEP_EVERY_HOURS) * 3_600_000,
    },
    retentionDays: values.RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS,
    coalesceWindowMs: (values.EVENT_COALESCE_SECONDS ?? DEFAULT_COALESCE_SECONDS) * 1000,
  };
}
