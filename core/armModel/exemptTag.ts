/** The VM tag that exempts findings: `<rule id>[,<rule id>…]: <reason>` (a tag value holds at most 256 characters). */
export const EXEMPT_TAG = 'vm-backup-guard-exempt';
