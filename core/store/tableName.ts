/**
 * The findings table's default name, in a module that imports nothing: the Function App names its sweep queue after
 * it when the host indexes the functions, and that must not load the table client (cold start: bench/coldStart.ts).
 */
export const FINDINGS_TABLE = 'vmbackupguardfindings';
