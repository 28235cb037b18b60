import { observesDaylightSaving } from '../timeZones.js';
import type { RuleDefinition } from '../types.js';
import { isResult, policyOrResult } from './protection.js';
import { fail, listOf, pass, unknown } from './result.js';

export const schedule: RuleDefinition = {
  id: 'policy.schedule',
  title: 'Backup schedule frequency',
  check(s, e) {
    const policy = policyOrResult(s);
    if (isResult(policy)) return policy;
    const sched = policy.schedule;
    if (sched === null || sched.frequency === null)
      return unknown(`Policy ${policy.name ?? policy.id} has no readable schedulePolicy.`, ['schedulePolicy.scheduleRunFrequency']);
    const evidence = {
      policy: policy.id,
      policyType: sched.policyType,
      frequency: sched.frequency,
      runsPerDay: sched.runsPerDay,
      hourlyInterval: sched.hourlyInterval,
    };
    const frequency = sched.frequency.toLowerCase();
    const intervals = e.params.enhancedHourlyIntervals;
    if (frequency === 'hourly') {
      if (sched.policyType === 'V2' && intervals !== null) {
        if (sched.hourlyInterval === null)
          return unknown(`Enhanced policy ${policy.name} is hourly but its interval is not in the data.`, ['schedulePolicy.hourlySchedule.interval']);
        if (intervals.includes(sched.hourlyInterval)) return pass(`Enhanced policy: every ${sched.hourlyInterval} hours.`, evidence);
        return fail(`Enhanced policy ${policy.name} runs every ${sched.hourlyInterval} hours: the interval must be ${intervals.join(', ')} hours.`, evidence);
      }
      return fail(`Policy ${policy.name} runs hourly: the VM extension takes one scheduled backup a day (daily or weekly schedules).`, evidence);
    }
    if (frequency !== 'daily' && frequency !== 'weekly') {
      return fail(
        `Policy ${policy.name} has a ${sched.frequency} backup schedule: only daily and weekly schedules are supported (monthly/yearly is a retention, not a schedule).`,
        evidence,
      );
    }
    if (sched.runsPerDay === null) return unknown(`Policy ${policy.name} has no schedule run times.`, ['schedulePolicy.scheduleRunTimes']);
    if (sched.runsPerDay > 1)
      return fail(`Policy ${policy.name} schedules ${sched.runsPerDay} backups a day: the VM extension takes one scheduled backup a day.`, evidence);
    return pass(`${sched.frequency}, once a day.`, evidence);
  },
};

export const recoveryPoints: RuleDefinition = {
  id: 'policy.recovery-points',
  title: 'Recovery points kept',
  check(s, e) {
    const policy = policyOrResult(s);
    if (isResult(policy)) return policy;
    const max = e.params.maxRecoveryPoints;
    if (policy.recoveryPoints === null) {
      const missing = policy.recoveryPointsMissing.length > 0 ? policy.recoveryPointsMissing : ['retentionPolicy'];
      return unknown(`The recovery points policy ${policy.name ?? policy.id} keeps cannot be counted without ${listOf(missing)}.`, missing);
    }
    const evidence = { policy: policy.id, recoveryPoints: policy.recoveryPoints, breakdown: policy.retentionBreakdown, max };
    if (policy.recoveryPoints > max)
      return fail(`Policy ${policy.name} keeps up to ${policy.recoveryPoints} recovery points: at most ${max} per protected instance.`, evidence);
    return pass(`Up to ${policy.recoveryPoints} recovery points (at most ${max}).`, evidence);
  },
};

export const daylightSaving: RuleDefinition = {
  id: 'policy.daylight-saving',
  title: 'Policy time zone observes daylight saving time',
  check(s, e) {
    const policy = policyOrResult(s);
    if (isResult(policy)) return policy;
    if (policy.timeZone === null) return unknown(`Policy ${policy.name ?? policy.id} has no timeZone.`, ['timeZone']);
    const dst = observesDaylightSaving(policy.timeZone, e.params.calendarYear);
    if (dst === null) return unknown(`Time zone "${policy.timeZone}" is not one this tool knows.`, [`daylight saving rules of "${policy.timeZone}"`]);
    if (dst)
      return fail(
        `Policy ${policy.name} runs in ${policy.timeZone}, which observes daylight saving time: schedule times are not adjusted; change the policy by hand at each clock change.`,
        { timeZone: policy.timeZone },
      );
    return pass(`${policy.timeZone} has no daylight saving time.`, { timeZone: policy.timeZone });
  },
};

export const policyRules = [schedule, recoveryPoints, daylightSaving];
