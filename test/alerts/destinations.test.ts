import { describe, expect, it } from 'vitest';
import { alertSchedule, AlertSettingsError, DEFAULT_ALERT_SCHEDULE, loadAlertSettings } from '../../core/alerts/alertSettings.js';
import { AlertDestinationsError, parseAlertDestinations } from '../../core/alerts/destinations.js';

const TEAMS_URL = 'https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=TOPSECRETSIG';
const SECRET = 'a-webhook-secret-of-some-length';

function problemsOf(value: unknown): string[] {
  try {
    parseAlertDestinations(typeof value === 'string' ? value : JSON.stringify(value));
  } catch (error) {
    if (error instanceof AlertDestinationsError) return error.problems;
    throw error;
  }
  throw new Error('expected the setting to be refused');
}

describe('ALERT_DESTINATIONS', () => {
  it('reads Teams and webhook destinations with their filters; unset or blank means none', () => {
    const destinations = parseAlertDestinations(
      JSON.stringify([
        { name: 'ops-teams', type: 'teams', url: TEAMS_URL, minSeverity: 'error' },
        {
          name: 'siem',
          type: 'webhook',
          url: 'https://siem.example.com/hooks/vmbg',
          secret: SECRET,
          subscriptions: ['11111111-2222-3333-4444-555555555555'.toUpperCase()],
          rules: ['compute.min-size'],
        },
        { name: 'local', type: 'webhook', url: 'http://127.0.0.1:8080/x', secret: SECRET },
      ]),
    );
    expect(destinations).toEqual([
      { name: 'ops-teams', type: 'teams', url: TEAMS_URL, minSeverity: 'error', subscriptions: null, rules: null },
      {
        name: 'siem',
        type: 'webhook',
        url: 'https://siem.example.com/hooks/vmbg',
        secrets: [SECRET],
        minSeverity: 'info',
        subscriptions: ['11111111-2222-3333-4444-555555555555'],
        rules: ['compute.min-size'],
      },
      { name: 'local', type: 'webhook', url: 'http://127.0.0.1:8080/x', secrets: [SECRET], minSeverity: 'info', subscriptions: null, rules: null },
    ]);
    expect(parseAlertDestinations(undefined)).toEqual([]);
    expect(parseAlertDestinations('  ')).toEqual([]);
    expect(parseAlertDestinations('[]')).toEqual([]);
  });

  it('HTTPS only, except plain http to 127.0.0.1, localhost and [::1]', () => {
    for (const url of ['http://127.0.0.1:1/x', 'http://localhost:8080/', 'http://[::1]:9/x', 'https://hooks.example.com/a']) {
      expect(parseAlertDestinations(JSON.stringify([{ name: 'a', type: 'teams', url }]))).toHaveLength(1);
    }
    for (const url of ['http://hooks.example.com/a', 'http://127.0.0.2/x', 'ftp://127.0.0.1/x', 'not a url', '/relative']) {
      expect(problemsOf([{ name: 'a', type: 'teams', url }])[0]).toMatch(/^ALERT_DESTINATIONS\[0\]\.url: /);
    }
  });

  it('names the destination index and field of every problem, at once', () => {
    const problems = problemsOf([
      { name: 'ok', type: 'teams', url: TEAMS_URL },
      { name: 'bad severity', type: 'teams', url: TEAMS_URL, minSeverity: 'critical' },
      { name: 'hook', type: 'webhook', url: 'https://h.example.com/', secret: 'short' },
      { name: 'hook2', type: 'webhook', url: 'https://h.example.com/' },
      { name: 'x', type: 'slack', url: TEAMS_URL },
      { name: 'y', type: 'teams', url: TEAMS_URL, subscriptions: ['not-a-guid'], rules: ['no.such-rule'], minseverity: 'error' },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^ALERT_DESTINATIONS\[1\]\.name: must be 1-64 letters/),
      expect.stringMatching(/^ALERT_DESTINATIONS\[1\]\.minSeverity: /),
      expect.stringMatching(/^ALERT_DESTINATIONS\[2\]\.secret: must be at least 16 characters/),
      'ALERT_DESTINATIONS[3].secret: is required',
      'ALERT_DESTINATIONS[4].type: must be "teams" or "webhook"',
      expect.stringMatching(/^ALERT_DESTINATIONS\[5\]\.subscriptions\[0\]: must be a subscription id/),
      expect.stringMatching(/^ALERT_DESTINATIONS\[5\]\.rules\[0\]: is not a rule id/),
      'ALERT_DESTINATIONS[5]: unknown field "minseverity"',
    ]);
    expect(
      problemsOf([
        { name: 'same', type: 'teams', url: TEAMS_URL },
        { name: 'SAME', type: 'teams', url: TEAMS_URL },
      ]),
    ).toEqual(['ALERT_DESTINATIONS[1].name: the same name as destination [0] (names must be unique)']);
    expect(problemsOf({ name: 'not-a-list' })).toEqual(['ALERT_DESTINATIONS: must be a JSON array of destinations']);
  });

  it('never puts a URL or a secret into an error, not even from a JSON syntax error', () => {
    const leaky = [
      `[{"name":"a","type":"teams","url":"${TEAMS_URL}"`, // truncated JSON: JSON.parse would quote the text
      JSON.stringify([{ name: 'a', type: 'teams', url: TEAMS_URL.replace('https', 'http') }]),
      JSON.stringify([{ name: 'a', type: 'teams', url: TEAMS_URL, secret: SECRET }]),
      JSON.stringify([{ name: 'a', type: 'webhook', url: TEAMS_URL, secret: 'TOPSECRETSIG' }]),
      JSON.stringify([{ name: 'a', type: 'teams', url: 42 }]),
    ];
    for (const raw of leaky) {
      const text = problemsOf(raw).join('\n');
      expect(text).not.toContain('TOPSECRETSIG');
      expect(text).not.toContain('logic.azure.com');
      expect(text).not.toContain(SECRET);
    }
    expect(problemsOf(leaky[0])).toEqual(['ALERT_DESTINATIONS: is not valid JSON (expected an array of destinations)']);
    // A Teams destination takes no secret: the strict schema names the field, not its value.
    expect(problemsOf(leaky[2])).toEqual(['ALERT_DESTINATIONS[0]: unknown field "secret"']);
  });
});

describe('alert settings', () => {
  it('ALERT_DOCS_BASE_URL: https, with a trailing slash added; relative docs/rules/ by default', () => {
    expect(loadAlertSettings({}).docsBaseUrl).toBe('docs/rules/');
    expect(loadAlertSettings({ ALERT_DOCS_BASE_URL: 'https://github.com/contoso/vm-backup-guard/blob/main/docs/rules' }).docsBaseUrl).toBe(
      'https://github.com/contoso/vm-backup-guard/blob/main/docs/rules/',
    );
    expect(() => loadAlertSettings({ ALERT_DOCS_BASE_URL: 'http://docs.example.com/' })).toThrow(AlertSettingsError);
  });

  it('reports destination and docs problems together', () => {
    try {
      loadAlertSettings({ ALERT_DESTINATIONS: '[{"name":"a","type":"teams"}]', ALERT_DOCS_BASE_URL: 'ftp://x' });
      expect.unreachable();
    } catch (error) {
      expect((error as AlertSettingsError).problems).toEqual([
        expect.stringMatching(/^ALERT_DESTINATIONS\[0\]\.url: /),
        expect.stringMatching(/^ALERT_DOCS_BASE_URL: must be an https:\/\/ URL/),
      ]);
    }
  });

  it('ALERT_SCHEDULE: six NCRONTAB fields, else the default with a problem to warn about', () => {
    expect(alertSchedule({})).toEqual({ schedule: DEFAULT_ALERT_SCHEDULE, problem: null });
    expect(alertSchedule({ ALERT_SCHEDULE: '30 */5 * * * *' })).toEqual({ schedule: '30 */5 * * * *', problem: null });
    expect(alertSchedule({ ALERT_SCHEDULE: '*/5 * * * *' })).toMatchObject({
      schedule: DEFAULT_ALERT_SCHEDULE,
      problem: expect.stringContaining('ALERT_SCHEDULE'),
    });
  });
});
