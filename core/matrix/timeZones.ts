import windowsZones from './windows-time-zones.json';

const WINDOWS_TO_IANA = new Map(
  Object.entries((windowsZones as { zones: Record<string, string> }).zones).map(([windows, iana]) => [windows.toLowerCase(), iana]),
);

const observance = new Map<string, boolean | null>();

/** The UTC offset of `zone` at `instant`, as ICU reports it ("GMT-08:00"). */
function offsetAt(zone: string, instant: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(instant).find((p) => p.type === 'timeZoneName');
  return part?.value ?? '';
}

/**
 * Whether a backup policy's time zone (a Windows id such as "Pacific Standard Time", or an IANA name) observes
 * daylight saving time in `year`: its offset differs between January and July. null when the zone is not known.
 * Deterministic for a given ICU version; memoised because it is asked once per protected VM.
 */
export function observesDaylightSaving(timeZone: string, year: number): boolean | null {
  const key = `${timeZone.toLowerCase()}|${year}`;
  const cached = observance.get(key);
  if (cached !== undefined) return cached;
  const zone = WINDOWS_TO_IANA.get(timeZone.toLowerCase()) ?? timeZone;
  let result: boolean | null;
  try {
    result = offsetAt(zone, new Date(Date.UTC(year, 0, 15))) !== offsetAt(zone, new Date(Date.UTC(year, 6, 15)));
  } catch {
    result = null; // RangeError: not a time zone ICU knows.
  }
  observance.set(key, result);
  return result;
}
