import { describe, expect, it } from 'vitest';
import { alertIntentOf } from '../../core/alerts/alertIntent.js';
import { portalForArmEndpoint } from '../../core/alerts/alertLinks.js';
import { AlertSettingsError, loadAlertSettings } from '../../core/alerts/alertSettings.js';
import { sampleIntent } from '../../core/alerts/sampleIntent.js';
import { teamsMessageFor } from '../../core/alerts/teamsCard.js';

const VM = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-sample/providers/Microsoft.Compute/virtualMachines/vm-sample-01';

describe('portal links in sovereign clouds', () => {
  it('follow ARM_ENDPOINT: US Government and China get their own portals; public is the default', () => {
    expect(loadAlertSettings({}).links.portalBaseUrl).toBe('https://portal.azure.com');
    expect(loadAlertSettings({ ARM_ENDPOINT: 'https://management.usgovcloudapi.net/' }).links.portalBaseUrl).toBe('https://portal.azure.us');
    expect(loadAlertSettings({ ARM_ENDPOINT: 'https://management.chinacloudapi.cn' }).links.portalBaseUrl).toBe('https://portal.azure.cn');
  });

  it('ALERT_PORTAL_URL wins, and an unknown cloud without it is a settings error, not a wrong link', () => {
    expect(
      loadAlertSettings({ ARM_ENDPOINT: 'https://management.local.azurestack.external', ALERT_PORTAL_URL: 'https://portal.local.azurestack.external/' }).links
        .portalBaseUrl,
    ).toBe('https://portal.local.azurestack.external');
    expect(() => loadAlertSettings({ ARM_ENDPOINT: 'https://management.local.azurestack.external' })).toThrow(AlertSettingsError);
    expect(portalForArmEndpoint('https://management.local.azurestack.external')).toBeNull();
    expect(() => loadAlertSettings({ ALERT_PORTAL_URL: 'http://portal.azure.us' })).toThrow(/ALERT_PORTAL_URL: must be an https:\/\/ URL/);
  });

  it('reach the card and the webhook payload', () => {
    const settings = loadAlertSettings({ ARM_ENDPOINT: 'https://management.usgovcloudapi.net', ALERT_FINDINGS_API_URL: 'https://vmbg.azurewebsites.us/api' });
    const intent = sampleIntent(new Date('2026-11-26T10:00:00Z'), settings.links);
    expect(intent.vm.portalUrl).toBe(`https://portal.azure.us/#@/resource${VM}`);
    expect(intent.vm.findingsUrl).toBe('https://vmbg.azurewebsites.us/api/vms/00000000-0000-0000-0000-000000000000/rg-sample/vm-sample-01');
    const actions = teamsMessageFor(intent).attachments[0].content.actions!;
    expect(actions.map((a) => a.url)).toEqual([intent.vm.portalUrl, intent.vm.findingsUrl]);
    // Without settings (a caller that passes no links), the public portal.
    const row = {
      partitionKey: 'p',
      rowKey: 'r',
      idempotencyKey: 'k',
      vmId: VM,
      vmName: 'v',
      subscriptionId: 's',
      resourceGroup: 'r',
      edition: '2026-03',
      transitions: '[]',
      trigger: '{}',
      createdAt: '',
      state: 'pending' as const,
      nextAttemptAt: '',
      deliveries: '{}',
    };
    expect(alertIntentOf(row).vm.portalUrl).toBe(`https://portal.azure.com/#@/resource${VM}`);
  });
});
