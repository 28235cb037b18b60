import type { ArmAccess } from '../core/inventory/arm/armAccess.js';
import type { TokenCredential } from '@azure/core-auth';
import type { TableServiceClientOptions } from '@azure/data-tables';

/** What a command may touch of the outside world; tests pass their own to capture output. */
export interface CliIo {
  /** Text, or UTF-8 bytes (the JSON report is written as bytes: see cli/format/byteChunks.ts). */
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colours and progress only go to terminals). */
  stdoutIsTty: boolean;
  stderrIsTty?: boolean;
  /** The terminal's width when stdout is one (the table wraps to it). */
  stdoutColumns?: number;
  /** Tests only: ARM access to a fake ARM server instead of a real credential. */
  azure?: ArmAccess;
  /** Tests only: the credential (and TLS trust) for a store given as an https URL, instead of --auth's. */
  storeAccess?: StoreAccessForTests;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** A service the command needed (Table Storage, ARM) failed or refused: not the input's fault; try again. */
export const EXIT_SERVICE = 3;

/** Usage and input problems: the message is printed, the exit code is 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Tests only: the credential and TLS trust for an https store (Azurite's OAuth mode with a certificate it made). */
export interface StoreAccessForTests {
  credential: TokenCredential;
  clientOptions?: TableServiceClientOptions;
}
