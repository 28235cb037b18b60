import { describe, expect, it } from 'vitest';
import { cleanInventory, POLICY_ID, type Json } from '../helpers/cleanVm.js';
import { outcomeOf } from '../helpers/evaluateDocument.js';
import { expectRule } from '../helpers/expectRule.js';

const policyProps = (doc: Json) => doc.policies[0].properties;

function enhancedHourly(interval: number): Json {
  const doc = cleanInventory();
  Object.assign(policyProps(doc), {
    policyType: 'V2',
    schedulePolicy: {
      schedulePolicyType: 'SimpleSchedulePolicyV2',
      scheduleRunFrequency: 'Hourly',
      hourlySchedule: { interval, scheduleWindowStartTime: '2023-01-01T08:00:00Z', scheduleWindowDuration: 16 },
    },
  });
  return doc;
}

describe('policy.schedule', () => {
  it('passes a daily Standard policy with one run time', () => {
    expectRule(cleanInventory(), '2019-02', 'policy.schedule', 'pass');
    expectRule(cleanInventory(), '2026-03', 'policy.schedule', 'pass');
  });
  it('fails two run times a day', () => {
    const doc = cleanInventory();
    policyProps(doc).schedulePolicy.scheduleRunTimes = ['2018-01-24T02:00:00Z', '2018-01-24T14:00:00Z'];
    expectRule(doc, '2019-02', 'policy.schedule', 'fail', 'error');
    expectRule(doc, '2026-03', 'policy.schedule', 'fail', 'error');
  });
  it('an Enhanced hourly schedule fails in 2019-02; every 4 h passes and every 3 h fails in 2026-03', () => {
    expectRule(enhancedHourly(4), '2019-02', 'policy.schedule', 'fail', 'error');
    expectRule(enhancedHourly(4), '2026-03', 'policy.schedule', 'pass');
    expectRule(enhancedHourly(3), '2026-03', 'policy.schedule', 'fail', 'error');
  });
  it('is notApplicable for an unprotected VM and unknown when the policy is not in the data', () => {
    const unprotected = cleanInventory();
    unprotected.protectedItems = [];
    expectRule(unprotected, '2019-02', 'policy.schedule', 'notApplicable');
    const noPolicy = cleanInventory();
    noPolicy.policies = [];
    const message = expectRule(noPolicy, '2019-02', 'policy.schedule', 'unknown', 'info');
    expect(message).toContain(POLICY_ID);
  });
  it('is notApplicable when protection is stopped', () => {
    const doc = cleanInventory();
    doc.protectedItems[0].properties.protectionState = 'ProtectionStopped';
    expectRule(doc, '2026-03', 'policy.schedule', 'notApplicable');
  });
});

describe('policy.recovery-points', () => {
  it('fails daily 9999 days plus weekly retention (over 9999 points)', () => {
    const doc = cleanInventory();
    policyProps(doc).retentionPolicy.dailySchedule.retentionDuration.count = 9999;
    expectRule(doc, '2019-02', 'policy.recovery-points', 'fail', 'error');
    expectRule(doc, '2026-03', 'policy.recovery-points', 'fail', 'error');
  });
  it('counts monthly and yearly points, and passes at exactly 9999', () => {
    const doc = cleanInventory();
    const r = policyProps(doc).retentionPolicy;
    r.dailySchedule.retentionDuration.count = 9999 - 12 - 60 - 10;
    r.monthlySchedule = {
      retentionScheduleFormatType: 'Weekly',
      retentionScheduleWeekly: { daysOfTheWeek: ['Sunday'], weeksOfTheMonth: ['First'] },
      retentionTimes: ['2018-01-24T02:00:00Z'],
      retentionDuration: { count: 60, durationType: 'Months' },
    };
    r.yearlySchedule = {
      retentionScheduleFormatType: 'Weekly',
      monthsOfYear: ['January'],
      retentionScheduleWeekly: { daysOfTheWeek: ['Sunday'], weeksOfTheMonth: ['First'] },
      retentionTimes: ['2018-01-24T02:00:00Z'],
      retentionDuration: { count: 10, durationType: 'Years' },
    };
    expectRule(doc, '2019-02', 'policy.recovery-points', 'pass');
    r.yearlySchedule.retentionDuration.count = 11;
    expectRule(doc, '2019-02', 'policy.recovery-points', 'fail', 'error');
  });
  it('is unknown without a retention policy', () => {
    const doc = cleanInventory();
    delete policyProps(doc).retentionPolicy;
    expectRule(doc, '2019-02', 'policy.recovery-points', 'unknown', 'info');
  });
  it('an hourly Enhanced policy sends one backup a day to the vault: 1,700 daily points every 4 h is 1,700 + 7 × 6, not 10,200', () => {
    const doc = enhancedHourly(4);
    policyProps(doc).schedulePolicy.hourlySchedule.scheduleWindowDuration = 24;
    policyProps(doc).instantRpRetentionRangeInDays = 7;
    policyProps(doc).retentionPolicy = {
      retentionPolicyType: 'LongTermRetentionPolicy',
      dailySchedule: { retentionTimes: ['2023-01-01T08:00:00Z'], retentionDuration: { count: 1700, durationType: 'Days' } },
    };
    expectRule(doc, '2026-03', 'policy.recovery-points', 'pass');
    expect(outcomeOf(doc, '2026-03', 'policy.recovery-points').evidence).toMatchObject({ recoveryPoints: 1742, breakdown: { daily: 1700, instant: 42 } });
    policyProps(doc).retentionPolicy.dailySchedule.retentionDuration.count = 9999 - 42 + 1;
    expectRule(doc, '2026-03', 'policy.recovery-points', 'fail', 'error');
  });
  it('an hourly policy without its instant restore retention cannot be counted: unknown, naming the field', () => {
    const doc = enhancedHourly(4);
    delete policyProps(doc).instantRpRetentionRangeInDays;
    const message = expectRule(doc, '2026-03', 'policy.recovery-points', 'unknown', 'info');
    expect(message).toContain('instantRpRetentionRangeInDays');
    expect(outcomeOf(doc, '2026-03', 'policy.recovery-points').evidence).toEqual({ missing: ['instantRpRetentionRangeInDays'] });
  });
});

describe('policy.daylight-saving', () => {
  it('reports a time zone with daylight saving time (info); passes UTC and India Standard Time', () => {
    const doc = cleanInventory();
    policyProps(doc).timeZone = 'Pacific Standard Time';
    expectRule(doc, '2019-02', 'policy.daylight-saving', 'fail', 'info');
    expectRule(doc, '2026-03', 'policy.daylight-saving', 'fail', 'info');
    policyProps(doc).timeZone = 'India Standard Time';
    expectRule(doc, '2019-02', 'policy.daylight-saving', 'pass');
    expectRule(cleanInventory(), '2019-02', 'policy.daylight-saving', 'pass');
  });
  it('is unknown for a time zone no one knows', () => {
    const doc = cleanInventory();
    policyProps(doc).timeZone = 'Atlantis Standard Time';
    expectRule(doc, '2019-02', 'policy.daylight-saving', 'unknown', 'info');
  });
});
