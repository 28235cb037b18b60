import type { Plugin } from 'esbuild';

export declare const DASHBOARD_MODULE: 'dashboard:document';
export declare function dashboardDocument(root?: string): Promise<{ html: string; csp: string }>;
export declare function dashboardDocumentPlugin(root?: string): Plugin;
