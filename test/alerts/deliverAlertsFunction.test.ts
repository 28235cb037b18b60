import { InvocationContext, type Timer } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverAlerts } from '../../functions/deliverAlerts.js';
import { useLiveEnvironment } from '../helpers/liveServices.js';
import { at, brokenVm, evaluationOf, storeEvaluation, teamsDestination, WEBHOOK_SECRET, webhookDestination } from './alertFixtures.js';
import { TeamsReceiver, WebhookReceiver, type Receiver } from './receivers.js';

const env = useLiveEnvironment();
const timer: Timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

const receivers: Receiver[] = [];
const saved = { ALERT_DESTINATIONS: process.env.ALERT_DESTINATIONS, ALERT_SCHEDULE: process.env.ALERT_SCHEDULE };
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

function context() {
  const lines: { level: string; args: unknown[] }[] = [];
  const ctx = new InvocationContext({ functionName: 'deliverAlerts', invocationId: 'test', logHandler: (level, ...args) => void lines.push({ level, args }) });
  return Object.assign(ctx, { lines });
}

describe('deliverAlerts (timer function)', () => {
  it('delivers the outbox of the services store to ALERT_DESTINATIONS', async () => {
    const services = env.services({ now: () => at(5) });
    const card = await new TeamsReceiver().start();
    const hook = await new WebhookReceiver(WEBHOOK_SECRET, () => at(5)).start();
    receivers.push(card, hook);
    process.env.ALERT_DESTINATIONS = JSON.stringify([teamsDestination('ops', card.url), webhookDestination('siem', hook.url)]);
    await storeEvaluation(services.store, evaluationOf(brokenVm()), 0);

    const ctx = context();
    await deliverAlerts(timer, ctx);
    expect(card.cards).toHaveLength(1);
    expect(hook.accepted).toHaveLength(1);
    expect(ctx.lines.find((l) => l.args[0] === 'alert delivery run')?.args[1]).toMatchObject({ due: 1, delivered: 1, requests: 2 });
    expect(await services.store.alerts('delivered')).toHaveLength(1);
    expect(JSON.stringify(ctx.lines)).not.toContain(card.url);
  });

  it('invalid settings: logs the problems (never the values), delivers nothing, does not throw', async () => {
    const services = env.services({ now: () => at(5) });
    await storeEvaluation(services.store, evaluationOf(brokenVm()), 0);
    process.env.ALERT_DESTINATIONS = JSON.stringify([{ name: 'ops', type: 'teams', url: 'http://hooks.example.com/workflows/x?sig=SECRETSIG' }]);
    process.env.ALERT_SCHEDULE = 'every minute';
    const ctx = context();
    await deliverAlerts(timer, ctx);
    expect(ctx.lines.map((l) => l.level)).toEqual(['warning', 'error']);
    expect(JSON.stringify(ctx.lines)).toContain('ALERT_DESTINATIONS[0].url: must be https://');
    expect(JSON.stringify(ctx.lines)).not.toContain('SECRETSIG');
    expect(await services.store.alerts('pending')).toHaveLength(1);
  });
});
