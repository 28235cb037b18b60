/** Who wrote a report. Kept equal to package.json's name and version by a test (bundles cannot read package.json). */
export const TOOL = { name: 'vm-backup-guard', version: '0.1.0' } as const;
