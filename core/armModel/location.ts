/** ARM accepts display names and programmatic names for regions alike: `West US` and `westus` are one region. */
export function normaliseLocation(location: string | null | undefined): string | null {
  if (location === null || location === undefined) return null;
  const normalised = location.replace(/\s+/g, '').toLowerCase();
  return normalised === '' ? null : normalised;
}
