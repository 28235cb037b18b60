import type { ArmBackupPolicy } from '../armModel/armSchemas.js';
import { propsOf } from '../armModel/armSchemas.js';
import type { PolicyFacts } from './vmSnapshot.js';

type PolicyProps = ReturnType<typeof propsOf<ArmBackupPolicy>>;
type Retention = NonNullable<PolicyProps['retentionPolicy']>;
type Duration = { count?: number | null; durationType?: string | null } | null | undefined;

/** Schedule, retention and time zone of a backup policy, reduced to what the policy rules compare. */
export function policyFactsOf(policy: ArmBackupPolicy): PolicyFacts {
  const p = propsOf(policy);
  const schedule = scheduleOf(p);
  const retention = countRecoveryPoints(p, schedule);
  return {
    id: policy.id,
    known: true,
    name: policy.name ?? null,
    schedule,
    recoveryPoints: retention.total,
    retentionBreakdown: retention.breakdown,
    recoveryPointsMissing: retention.missing,
    timeZone: p.timeZone ?? null,
    restorePointGroupPrefix: p.instantRPDetails?.azureBackupRGNamePrefix ?? null,
    restorePointGroupSuffix: p.instantRPDetails?.azureBackupRGNameSuffix ?? null,
    snapshotConsistencyType: p.snapshotConsistencyType ?? null,
  };
}

export function unknownPolicy(id: string): PolicyFacts {
  return {
    id,
    known: false,
    name: null,
    schedule: null,
    recoveryPoints: null,
    retentionBreakdown: {},
    timeZone: null,
    restorePointGroupPrefix: null,
    restorePointGroupSuffix: null,
    snapshotConsistencyType: null,
    recoveryPointsMissing: [],
  };
}

function scheduleOf(p: PolicyProps): PolicyFacts['schedule'] {
  const s = p.schedulePolicy;
  if (!s) return null;
  const enhanced = p.policyType?.toUpperCase() === 'V2' || s.schedulePolicyType?.toLowerCase() === 'simpleschedulepolicyv2';
  const frequency = s.scheduleRunFrequency ?? null;
  let runsPerDay: number | null = null;
  let hourlyInterval: number | null = null;
  switch (frequency?.toLowerCase()) {
    case 'daily':
      runsPerDay = countOf(s.dailySchedule?.scheduleRunTimes ?? s.scheduleRunTimes);
      break;
    case 'weekly':
      runsPerDay = countOf(s.weeklySchedule?.scheduleRunTimes ?? s.scheduleRunTimes);
      break;
    case 'hourly': {
      hourlyInterval = s.hourlySchedule?.interval ?? null;
      const window = s.hourlySchedule?.scheduleWindowDuration ?? 24;
      runsPerDay = hourlyInterval && hourlyInterval > 0 ? Math.max(1, Math.floor(window / hourlyInterval)) : null;
      break;
    }
  }
  return { policyType: enhanced ? 'V2' : 'V1', frequency, runsPerDay, hourlyInterval };
}

function countOf(list: readonly unknown[] | null | undefined): number | null {
  return list ? list.length : null;
}

const DAYS_PER_UNIT: Record<string, number> = { days: 1, weeks: 7, months: 30, years: 365 };

/** A retention duration expressed in `unit`s (the unit its schedule keeps one set of points per). */
function durationIn(duration: Duration, unit: 'days' | 'weeks' | 'months' | 'years'): number | null {
  if (!duration || typeof duration.count !== 'number') return null;
  const given = DAYS_PER_UNIT[(duration.durationType ?? unit).toLowerCase()];
  if (given === undefined) return null;
  return Math.ceil((duration.count * given) / DAYS_PER_UNIT[unit]!);
}

type MonthlyLike = NonNullable<Retention['monthlySchedule']>;

/** Points one month keeps: one per listed day of the month, or per listed week × weekday. */
function pointsPerMonth(schedule: MonthlyLike): number {
  const days = schedule.retentionScheduleDaily?.daysOfTheMonth?.length;
  if (schedule.retentionScheduleFormatType?.toLowerCase() === 'daily' && days) return days;
  const weekly = schedule.retentionScheduleWeekly;
  if (weekly) return Math.max(1, weekly.weeksOfTheMonth?.length ?? 1) * Math.max(1, weekly.daysOfTheWeek?.length ?? 1);
  return Math.max(1, days ?? 1);
}

interface RecoveryPointCount {
  total: number | null;
  breakdown: Record<string, number>;
  missing: string[];
}

/**
 * Hourly (Enhanced) policies take several snapshots a day but send one backup a day to the vault: "For hourly
 * backups, the last backup of the day is transferred to a vault." Their daily retention counts one point a day, and
 * the instant restore snapshots add instant-restore days × runs a day (an upper bound: the day's last snapshot is
 * also its vault point). Daily and weekly schedules count each run of the day in the daily tier.
 */
function countRecoveryPoints(p: PolicyProps, schedule: PolicyFacts['schedule']): RecoveryPointCount {
  if (!p.retentionPolicy) return { total: null, breakdown: {}, missing: ['retentionPolicy'] };
  const hourly = schedule?.frequency?.toLowerCase() === 'hourly';
  const retention = recoveryPointsOf(p.retentionPolicy, hourly ? 1 : (schedule?.runsPerDay ?? 1));
  if (retention === null) return { total: null, breakdown: {}, missing: ['retentionPolicy'] };
  if (!hourly) return { ...retention, missing: [] };
  const runsPerDay = schedule?.runsPerDay ?? null;
  const instantDays = p.instantRpRetentionRangeInDays ?? null;
  const missing = [
    ...(runsPerDay === null ? ['schedulePolicy.hourlySchedule.interval'] : []),
    ...(instantDays === null ? ['instantRpRetentionRangeInDays'] : []),
  ];
  if (runsPerDay === null || instantDays === null) return { total: null, breakdown: retention.breakdown, missing };
  const instant = instantDays * runsPerDay;
  return { total: retention.total + instant, breakdown: { ...retention.breakdown, instant }, missing: [] };
}

/**
 * The most recovery points the retention can hold: daily points × runs per day, weekly points × weekdays,
 * monthly points × points per month, yearly points × months × points per month. The matrix caps the sum at 9999.
 */
function recoveryPointsOf(r: Retention, runsPerDay: number): { total: number; breakdown: Record<string, number> } | null {
  const breakdown: Record<string, number> = {};
  if (r.retentionPolicyType?.toLowerCase() === 'simpleretentionpolicy') {
    const days = durationIn(r.retentionDuration, 'days');
    if (days === null) return null;
    breakdown.daily = days * runsPerDay;
  }
  if (r.dailySchedule) {
    const days = durationIn(r.dailySchedule.retentionDuration, 'days');
    if (days === null) return null;
    breakdown.daily = days * runsPerDay;
  }
  if (r.weeklySchedule) {
    const weeks = durationIn(r.weeklySchedule.retentionDuration, 'weeks');
    if (weeks === null) return null;
    breakdown.weekly = weeks * Math.max(1, r.weeklySchedule.daysOfTheWeek?.length ?? 1);
  }
  if (r.monthlySchedule) {
    const months = durationIn(r.monthlySchedule.retentionDuration, 'months');
    if (months === null) return null;
    breakdown.monthly = months * pointsPerMonth(r.monthlySchedule);
  }
  if (r.yearlySchedule) {
    const years = durationIn(r.yearlySchedule.retentionDuration, 'years');
    if (years === null) return null;
    breakdown.yearly = years * Math.max(1, r.yearlySchedule.monthsOfYear?.length ?? 1) * pointsPerMonth(r.yearlySchedule);
  }
  if (Object.keys(breakdown).length === 0) return null;
  return { total: Object.values(breakdown).reduce((a, b) => a + b, 0), breakdown };
}
