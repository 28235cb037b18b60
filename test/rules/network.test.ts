import { describe, it } from 'vitest';
import { cleanInventory, NIC_ID, PIP_ID, RG, VM_ID, type Json } from '../helpers/cleanVm.js';
import { expectRule, propsOf } from '../helpers/expectRule.js';

const ipConfig = (doc: Json) => doc.networkInterfaces[0].properties.ipConfigurations[0].properties;

function withPublicIp(allocation: 'Static' | 'Dynamic'): Json {
  const doc = cleanInventory();
  ipConfig(doc).publicIPAddress = { id: PIP_ID };
  doc.publicIpAddresses = [
    {
      id: PIP_ID,
      name: 'vm-app-01-pip',
      type: 'Microsoft.Network/publicIPAddresses',
      location: 'westeurope',
      sku: { name: 'Standard' },
      properties: { publicIPAllocationMethod: allocation },
    },
  ];
  return doc;
}

function withSecondNic(doc: Json): Json {
  const id = `${RG}/providers/Microsoft.Network/networkInterfaces/vm-app-01-nic2`;
  propsOf(doc).networkProfile.networkInterfaces.push({ id, properties: { primary: false } });
  doc.networkInterfaces.push({
    id,
    name: 'vm-app-01-nic2',
    type: 'Microsoft.Network/networkInterfaces',
    properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { privateIPAllocationMethod: 'Dynamic' } }], virtualMachine: { id: VM_ID } },
  });
  return doc;
}

const backendPool = { id: `${RG}/providers/Microsoft.Network/loadBalancers/lb-app/backendAddressPools/pool1` };

describe('network.reserved-ip', () => {
  it('fails a static public IP on a NIC without a load balancer in 2019-02; retired in 2026-03', () => {
    const doc = withPublicIp('Static');
    expectRule(doc, '2019-02', 'network.reserved-ip', 'fail', 'error');
    expectRule(doc, '2026-03', 'network.reserved-ip', 'notApplicable');
  });
  it('passes a static public IP behind a load-balancer pool, and a dynamic one', () => {
    const balanced = withPublicIp('Static');
    ipConfig(balanced).loadBalancerBackendAddressPools = [backendPool];
    expectRule(balanced, '2019-02', 'network.reserved-ip', 'pass');
    expectRule(withPublicIp('Dynamic'), '2019-02', 'network.reserved-ip', 'pass');
  });
  it('is unknown when the public IP resource or the NIC is not in the data', () => {
    const doc = withPublicIp('Static');
    doc.publicIpAddresses = [];
    expectRule(doc, '2019-02', 'network.reserved-ip', 'unknown', 'info');
    const noNic = cleanInventory();
    noNic.networkInterfaces = [];
    expectRule(noNic, '2019-02', 'network.reserved-ip', 'unknown', 'info');
  });
});

describe('network.public-ip', () => {
  it('reports an attached public IP (info) even when the address resource is missing', () => {
    const doc = withPublicIp('Dynamic');
    expectRule(doc, '2026-03', 'network.public-ip', 'fail', 'info');
    doc.publicIpAddresses = [];
    expectRule(doc, '2019-02', 'network.public-ip', 'fail', 'info');
  });
  it('passes without a public IP; unknown when the NIC is not in the data', () => {
    const doc = cleanInventory();
    expectRule(doc, '2019-02', 'network.public-ip', 'pass');
    doc.networkInterfaces = [];
    expectRule(doc, '2019-02', 'network.public-ip', 'unknown', 'info');
  });
  it('counts inline NIC definitions (networkInterfaceConfigurations) as NICs', () => {
    const doc = cleanInventory();
    propsOf(doc).networkProfile = {
      networkApiVersion: '2020-11-01',
      networkInterfaceConfigurations: [
        {
          name: 'nic',
          properties: {
            primary: true,
            ipConfigurations: [
              { name: 'ip', properties: { publicIPAddressConfiguration: { name: 'pip', properties: { publicIPAllocationMethod: 'Static' } } } },
            ],
          },
        },
      ],
    };
    doc.networkInterfaces = [];
    expectRule(doc, '2026-03', 'network.public-ip', 'fail', 'info');
    expectRule(doc, '2019-02', 'network.reserved-ip', 'fail', 'error');
  });
});

describe('network.special-config', () => {
  it('warns for two NICs, a load-balancer pool, or two public IP configurations', () => {
    expectRule(withSecondNic(cleanInventory()), '2019-02', 'network.special-config', 'fail', 'warning');
    const balanced = cleanInventory();
    ipConfig(balanced).loadBalancerBackendAddressPools = [backendPool];
    expectRule(balanced, '2026-03', 'network.special-config', 'fail', 'warning');
    const twoIps = withPublicIp('Dynamic');
    const second = `${RG}/providers/Microsoft.Network/publicIPAddresses/pip2`;
    twoIps.networkInterfaces[0].properties.ipConfigurations.push({ name: 'ipconfig2', properties: { publicIPAddress: { id: second } } });
    twoIps.publicIpAddresses.push({ id: second, type: 'Microsoft.Network/publicIPAddresses', properties: { publicIPAllocationMethod: 'Dynamic' } });
    expectRule(twoIps, '2019-02', 'network.special-config', 'fail', 'warning');
  });
  it('passes one plain NIC; two NICs fail even when one is missing; one missing NIC is unknown', () => {
    expectRule(cleanInventory(), '2019-02', 'network.special-config', 'pass');
    const twoNics = withSecondNic(cleanInventory());
    twoNics.networkInterfaces.pop();
    expectRule(twoNics, '2019-02', 'network.special-config', 'fail', 'warning');
    const missing = cleanInventory();
    missing.networkInterfaces = [];
    expectRule(missing, '2019-02', 'network.special-config', 'unknown', 'info');
  });
  it('compares NIC ids case-insensitively', () => {
    const doc = cleanInventory();
    propsOf(doc).networkProfile.networkInterfaces[0].id = NIC_ID.toUpperCase();
    expectRule(doc, '2019-02', 'network.special-config', 'pass');
  });
});

describe('NIC references and inline definitions of the same NICs', () => {
  it('count once: the references win when both are listed', () => {
    const doc = cleanInventory();
    propsOf(doc).networkProfile.networkInterfaceConfigurations = [
      { name: 'vm-app-01-nic', properties: { primary: true, ipConfigurations: [{ name: 'ipconfig1', properties: {} }] } },
    ];
    expectRule(doc, '2019-02', 'network.special-config', 'pass');
  });
  it("read a Uniform scale set instance's networkProfileConfiguration when it references no NIC", () => {
    const doc = cleanInventory();
    delete propsOf(doc).networkProfile;
    propsOf(doc).networkProfileConfiguration = {
      networkInterfaceConfigurations: [
        { name: 'nic', properties: { ipConfigurations: [{ name: 'ip', properties: { loadBalancerBackendAddressPools: [{ id: 'x' }] } }] } },
      ],
    };
    doc.networkInterfaces = [];
    expectRule(doc, '2026-03', 'network.special-config', 'fail', 'warning');
  });
});
