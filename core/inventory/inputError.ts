/** A problem with one input file, located by file and JSON path: what `check` prints and exits 2 for. */
export interface InputError {
  file: string;
  /** `$.value[3].properties.storageProfile`; `$` for the whole document. */
  path: string;
  message: string;
}

export function formatInputError(error: InputError): string {
  return `${error.file}: ${error.path}: ${error.message}`;
}
